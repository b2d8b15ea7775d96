using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reports;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5 items 5, 8 and 9: answers, actions and the portfolio as XLSX and CSV (trust.md I4).</summary>
public sealed class ReportsSpreadsheetTests
{
    private const string Awkward =
        "Consent, \"informed\" and ongoing;\nsecond line – café, 子ども, emoji 👪";

    private static readonly string[] Formulas =
    [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+44 1234",
        "-2+3",
        "@SUM(A1:A2)",
    ];

    public static TheoryData<Db, SheetFormat> Both =>
        new()
        {
            { Db.Sqlite, SheetFormat.Xlsx },
            { Db.Sqlite, SheetFormat.Csv },
            { Db.Postgres, SheetFormat.Xlsx },
            { Db.Postgres, SheetFormat.Csv },
        };

    private static List<Dictionary<string, string>> Read(SheetFormat format, byte[] bytes) =>
        format == SheetFormat.Csv ? ReportData.ReadCsv(bytes) : ReportData.ReadXlsx(bytes);

    private static string Ext(SheetFormat format) => Spreadsheet.Extension(format);

    [Theory, MemberData(nameof(Both))]
    public async Task Answers_AsViewer_OneRowPerItemEqualToTheAnswers(Db db, SheetFormat format)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Family Group Conferencing: Pilot (2026)");
        var contributor = org[MemberRole.Contributor];
        await app.AnswerInFullAsync(
            org,
            contributor,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            reasoning: Awkward,
            evidence: "Parent panel notes, 3 March",
            voices: Voices.Families | Voices.Practitioners,
            dissent: "One member thinks consent is fine"
        );
        await app.AnswerInFullAsync(
            org,
            contributor,
            review.Id,
            "overarching.innovation.2",
            Position.NotApplicable,
            notApplicableReason: "Not a national scheme"
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, name, type) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/answers.{Ext(format)}"
        );

        Assert.Equal(
            $"peisc-family-group-conferencing-pilot-2026-answers-round-1.{Ext(format)}",
            name
        );
        Assert.Equal(Spreadsheet.ContentType(format).Split(';')[0], type);
        var rows = Read(format, bytes);
        Assert.Equal(ReviewData.Peisc.AllCells.Sum(c => c.Items.Count), rows.Count);
        Assert.Equal(
            ReviewData.Peisc.AllCells.SelectMany(c => c.Items).Select(i => i.Id),
            rows.Select(r => r["Item id"])
        );
        var concern = rows.Single(r => r["Item id"] == "human-rights.process.1");
        Assert.Equal("Concern", concern["Position"]);
        Assert.Equal(Awkward, concern["Reasoning"]);
        Assert.Equal("Parent panel notes, 3 March", concern["Evidence"]);
        Assert.Equal("Families, Practitioners", concern["Voices heard"]);
        Assert.Equal("One member thinks consent is fine", concern["Dissent or minority view"]);
        Assert.Equal(contributor.Name, concern["Last changed by"]);
        Assert.Equal("Principles of human rights", concern["Section"]);
        Assert.Equal("The innovation process", concern["Domain"]);
        Assert.Equal(
            ReviewData.Peisc.FindCell("human-rights", "process")!.Question,
            concern["Headline question"]
        );
        Assert.Equal(
            ReviewData.Peisc.FindCell("human-rights", "process")!.Items[0].Text,
            concern["Item"]
        );
        Assert.Equal("1", concern["Round"]);
        Assert.Equal("Designing", concern["Stage"]);
        var notApplicable = rows.Single(r => r["Item id"] == "overarching.innovation.2");
        Assert.Equal("Not applicable", notApplicable["Position"]);
        Assert.Equal("Not a national scheme", notApplicable["Reason not applicable"]);
        var untouched = rows.Single(r => r["Item id"] == "social-justice.outcomes.3");
        Assert.Equal("Not yet considered", untouched["Position"]);
        Assert.Equal("", untouched["Reasoning"]);
    }

    [Theory, MemberData(nameof(Both))]
    public async Task Answers_RoundChosenByNumber_GivesThatRoundsAnswers(Db db, SheetFormat format)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Rounds");
        await app.AnswerAsync(org, review.Id, "human-rights.process.1", Position.Concern, "First");
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Addressed,
            "Later"
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var url = $"/reviews/{review.Id}/exports/answers.{Ext(format)}";

        var (first, firstName, _) = await client.DownloadAsync(url + "?round=1");
        var (current, currentName, _) = await client.DownloadAsync(url);

        Assert.Equal($"peisc-rounds-answers-round-1.{Ext(format)}", firstName);
        Assert.Equal($"peisc-rounds-answers-round-2.{Ext(format)}", currentName);
        var before = Read(format, first).Single(r => r["Item id"] == "human-rights.process.1");
        var after = Read(format, current).Single(r => r["Item id"] == "human-rights.process.1");
        Assert.Equal(
            ("Concern", "First", "Designing"),
            (before["Position"], before["Reasoning"], before["Stage"])
        );
        Assert.Equal(
            ("Addressed", "Later", "Testing"),
            (after["Position"], after["Reasoning"], after["Stage"])
        );
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + "?round=3")).StatusCode);
    }

    [Theory, MemberData(nameof(Both))]
    public async Task Exports_TextThatLooksLikeAFormula_StartsWithAnApostrophe(
        Db db,
        SheetFormat format
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "=cmd|' /C calc'!A0");
        var items = ReviewData.Peisc.FindCell("social-justice", "innovation")!.Items;
        for (var i = 0; i < Formulas.Length; i++)
        {
            await app.AnswerAsync(org, review.Id, items[i].Id, Position.Concern, Formulas[i]);
            await app.CreateActionAsync(
                org,
                review.Id,
                Formulas[i],
                null,
                ActionStatus.Open,
                items[i].Id
            );
        }
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (answersFile, name, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/answers.{Ext(format)}"
        );
        var answers = Read(format, answersFile);
        var actions = Read(
            format,
            (
                await client.DownloadAsync($"/reviews/{review.Id}/exports/actions.{Ext(format)}")
            ).Bytes
        );
        var portfolio = Read(
            format,
            (await client.DownloadAsync($"/reviews/portfolio.{Ext(format)}")).Bytes
        );

        Assert.Equal($"peisc-cmd-c-calc-a0-answers-round-1.{Ext(format)}", name);
        for (var i = 0; i < Formulas.Length; i++)
        {
            Assert.Equal(
                "'" + Formulas[i],
                answers.Single(r => r["Item id"] == items[i].Id)["Reasoning"]
            );
        }
        Assert.Equal(
            Formulas.Select(f => "'" + f).Order(StringComparer.Ordinal),
            actions.Select(a => a["Action"]).Order(StringComparer.Ordinal)
        );
        Assert.Equal("'=cmd|' /C calc'!A0", Assert.Single(portfolio)["Title"]);
    }

    [Theory, MemberData(nameof(Both))]
    public async Task Actions_AsViewer_OneRowPerActionEqualToThePlan(Db db, SheetFormat format)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Plan");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var late = await app.CreateActionAsync(
            org,
            review.Id,
            "Write the consent leaflet, \"plain\" version",
            today.AddDays(-3),
            ActionStatus.InProgress,
            "human-rights.process.1",
            "human-rights.process.2"
        );
        var done = await app.CreateActionAsync(
            org,
            review.Id,
            "Ask the panel",
            today.AddDays(-9),
            ActionStatus.Done
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, name, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/actions.{Ext(format)}"
        );

        Assert.Equal($"peisc-plan-actions.{Ext(format)}", name);
        var rows = Read(format, bytes);
        Assert.Equal(2, rows.Count);
        var first = rows.Single(r => r["Action id"] == late.Id.ToString());
        Assert.Equal("Write the consent leaflet, \"plain\" version", first["Action"]);
        Assert.Equal("In progress", first["Status"]);
        Assert.Equal("Alex Named", first["Owner"]);
        Assert.Equal(
            today
                .AddDays(-3)
                .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            first["Due"]
        );
        Assert.Equal("Yes", first["Overdue"]);
        Assert.Equal("human-rights.process.1 human-rights.process.2", first["Item ids"]);
        Assert.StartsWith(
            "Human rights: The innovation process: ",
            first["Items"],
            StringComparison.Ordinal
        );
        Assert.Equal("1", first["Opened in round"]);
        var second = rows.Single(r => r["Action id"] == done.Id.ToString());
        Assert.Equal(("Done", "No", ""), (second["Status"], second["Overdue"], second["Item ids"]));
    }

    [Theory, MemberData(nameof(Both))]
    public async Task Portfolio_AsViewer_OneRowPerReviewOfTheOrganisationOnly(
        Db db,
        SheetFormat format
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync("Northshire Council");
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        await app.CreateReviewAsync(other, "CANARY other organisation");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var busy = await app.CreateReviewAsync(org, "Busy review", "stage.4", ServiceArea.Adults);
        await app.AnswerAsync(org, busy.Id, "human-rights.process.1", Position.Concern, "x");
        await app.AnswerAsync(org, busy.Id, "human-rights.process.2", Position.Addressed, "y");
        await app.CreateActionAsync(org, busy.Id, "Late", today.AddDays(-1));
        await app.CreateActionAsync(org, busy.Id, "Soon", today.AddDays(5));
        await app.CreateActionAsync(org, busy.Id, "Finished", today.AddDays(-5), ActionStatus.Done);
        var quiet = await app.CreateReviewAsync(org, "Archived review");
        await app.QueryAsync(
            d =>
                d.Reviews.Where(r => r.Id == quiet.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.ArchivedAt, DateTime.UtcNow)),
            org.Id
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, name, _) = await client.DownloadAsync($"/reviews/portfolio.{Ext(format)}");

        Assert.Equal($"peisc-portfolio-northshire-council-{today:yyyy-MM-dd}.{Ext(format)}", name);
        var rows = Read(format, bytes);
        Assert.Equal(["Archived review", "Busy review"], rows.Select(r => r["Title"]));
        var row = rows[1];
        Assert.Equal(busy.Id.ToString(), row["Review id"]);
        Assert.Equal("Adults' services", row["Service area"]);
        Assert.Equal(("Embedding", "1"), (row["Stage"], row["Round"]));
        Assert.Equal(("2", "77", "1"), (row["Items considered"], row["Items"], row["Concerns"]));
        Assert.Equal(
            ("2", "1", "No"),
            (row["Open actions"], row["Overdue actions"], row["Archived"])
        );
        Assert.Equal(
            ("0", "0", "Yes"),
            (rows[0]["Open actions"], rows[0]["Overdue actions"], rows[0]["Archived"])
        );
    }

    [Theory, BothDatabases]
    public async Task EveryDownload_IsAuditedOnceWithWhoAndWhat(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Audited");
        var viewer = org[MemberRole.Viewer];
        var client = await app.SignedInAsync(viewer);
        var before = (await app.AuditAsync(org.Id)).Count;

        await client.DownloadAsync($"/reviews/{review.Id}/exports/answers.csv");
        await client.DownloadAsync($"/reviews/{review.Id}/exports/actions.xlsx");
        await client.DownloadAsync("/reviews/portfolio.xlsx");

        var events = (await app.AuditAsync(org.Id)).Skip(before).ToList();
        Assert.Equal(
            [
                AuditActions.AnswersExported,
                AuditActions.ActionsExported,
                AuditActions.PortfolioExported,
            ],
            events.Select(e => e.Action)
        );
        Assert.All(events, e => Assert.Equal(viewer.Id, e.ActorUserId));
        Assert.Equal(review.Id.ToString(), events[0].EntityId);
        Assert.Contains(
            "peisc-audited-answers-round-1.csv",
            events[0].Detail,
            StringComparison.Ordinal
        );
        Assert.Contains("XLSX", events[1].Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task ReviewDownloads_AnotherOrganisationsReview_NotFoundAndNotAudited(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var foreign = await app.CreateReviewAsync(other, "CANARY-B");
        var client = await app.SignedInAsync(org.Owner);
        var before = (await app.AuditAsync(org.Id)).Count;

        foreach (var what in new[] { "answers.xlsx", "answers.csv", "actions.xlsx", "actions.csv" })
        {
            var response = await client.GetAsync($"/reviews/{foreign.Id}/exports/{what}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(
                "CANARY-B",
                await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }
        Assert.Equal(before, (await app.AuditAsync(org.Id)).Count);
        Assert.DoesNotContain(
            await app.AuditAsync(other.Id),
            e => e.Action.StartsWith("export.", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Downloads_Anonymous_AskForSignIn()
    {
        await using var app = new TestApp(Db.Sqlite);
        await app.CreateOrganisationAsync();
        var client = app.Browser();

        var response = await client.GetAsync($"/reviews/{Guid.NewGuid()}/exports/answers.xlsx");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(
            "/account/sign-in",
            response.Headers.Location!.OriginalString,
            StringComparison.Ordinal
        );
    }

    // Answers and titles are trimmed when saved, so a leading tab or CR reaches the writer only here.
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("\0=1+1", "'\0=1+1")]
    [InlineData("-", "'-")]
    [InlineData("1-2", "1-2")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public async Task Csv_AnyText_NeutralisedAndQuotedSoItReadsBack(string text, string expected)
    {
        var columns = new SheetColumn<string>[] { new("Text", t => t), new("Number", _ => -1) };
        using var stream = new MemoryStream();

        await Spreadsheet.WriteCsvAsync(
            stream,
            columns,
            [text, text + ",\"x\"\r\nmore"],
            CancellationToken.None
        );

        var rows = ReportData.ReadCsv(stream.ToArray());
        Assert.Equal(expected, rows[0]["Text"]);
        Assert.Equal(Spreadsheet.Neutralise(text + ",\"x\"\r\nmore"), rows[1]["Text"]);
        Assert.Equal("-1", rows[0]["Number"]);
    }

    [Theory]
    [InlineData("\t=1+1")]
    [InlineData("@x")]
    public async Task Xlsx_TextStartingWithAFormulaCharacter_IsStoredWithAnApostrophe(string text)
    {
        var columns = new SheetColumn<string>[] { new("Text", t => t) };
        using var stream = new MemoryStream();

        await Spreadsheet.WriteXlsxAsync(stream, "Sheet", columns, [text], CancellationToken.None);

        Assert.Equal("'" + text, Assert.Single(ReportData.ReadXlsx(stream.ToArray()))["Text"]);
    }

    [Theory]
    [InlineData("Family Group Conferencing: Pilot (2026)", "family-group-conferencing-pilot-2026")]
    [InlineData("Café für Kinder – naïve", "cafe-fur-kinder-naive")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("子ども", "review")]
    [InlineData("", "review")]
    public void Slug_AnyTitle_IsSafeForAFileName(string title, string expected) =>
        Assert.Equal(expected, ExportFileNames.Slug(title));

    [Fact]
    public void Slug_LongTitle_IsCutAtFiftyCharacters() =>
        Assert.Equal(
            50,
            ExportFileNames.Slug(new string('a', 30) + " " + new string('b', 40)).Length
        );
}
