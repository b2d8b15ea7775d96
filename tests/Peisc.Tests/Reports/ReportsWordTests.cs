using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5 items 1, 2 and 10: the board report and the one-page summary as valid, navigable Word documents.</summary>
public sealed class ReportsWordTests
{
    private sealed record Seeded(TestApp App, TestOrganisation Org, Review Review, TestUser Second);

    // A review in its second round: two people answered, concerns with and without actions, a changed item.
    private static async Task<Seeded> SeedAsync(Db db)
    {
        var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync("Northshire Council");
        var second = await app.AddMemberAsync(org.Id, MemberRole.Contributor, name: "Priya Second");
        var review = await app.CreateReviewAsync(org, "Family group conferencing pilot");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AnswerInFullAsync(
            org,
            org[MemberRole.Contributor],
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear."
        );
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerInFullAsync(
            org,
            second,
            review.Id,
            "human-rights.process.1",
            Position.Addressed,
            reasoning: "The consent leaflet is agreed.",
            evidence: "Leaflet v3, signed off by the parent panel",
            voices: Voices.Families | Voices.ChildrenAndYoungPeople,
            dissent: "One practitioner wants an easy-read version too."
        );
        await app.AnswerInFullAsync(
            org,
            second,
            review.Id,
            "social-justice.innovation.1",
            Position.Concern,
            "Rural families may be left out."
        );
        await app.AnswerInFullAsync(
            org,
            second,
            review.Id,
            "social-justice.innovation.2",
            Position.Concern,
            "Interpreters are not budgeted."
        );
        await app.AnswerInFullAsync(
            org,
            second,
            review.Id,
            "professional-integrity.process.1",
            Position.Concern,
            "Supervision time is short."
        );
        await app.AnswerInFullAsync(
            org,
            second,
            review.Id,
            "overarching.outcomes.1",
            Position.Concern,
            "No outcome measures yet."
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Budget for interpreters",
            today.AddDays(-2),
            ActionStatus.Open,
            "social-justice.innovation.2"
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Map rural travel times",
            today.AddDays(10),
            ActionStatus.InProgress,
            "social-justice.innovation.1"
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Agree outcome measures",
            today.AddDays(20),
            ActionStatus.Open,
            "overarching.outcomes.1"
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Write the consent leaflet",
            today.AddDays(-20),
            ActionStatus.Done,
            "human-rights.process.1"
        );
        return new Seeded(app, org, review, second);
    }

    [Theory, BothDatabases]
    public async Task BoardReport_AsViewer_IsValidWordWithHeadingsAndTheReview(Db db)
    {
        var (app, org, review, second) = await SeedAsync(db);
        await using var _ = app;
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, name, type) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/board-report.docx"
        );

        Assert.Equal("peisc-family-group-conferencing-pilot-board-report-round-2.docx", name);
        Assert.Equal(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            type
        );
        var word = new WordFile(bytes);
        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        Assert.Equal("heading 1", word.StyleNames["Heading1"]);
        Assert.Equal("heading 2", word.StyleNames["Heading2"]);
        Assert.Equal("Ethical review: Family group conferencing pilot", word.Title);
        Assert.Equal(("en-GB", "en-GB"), (word.Language, word.DefaultLanguage));
        Assert.Equal(
            ["Ethical review: Family group conferencing pilot"],
            word.Paragraphs.Where(p => p.Style == "Title").Select(p => p.Text)
        );
        Assert.Equal(
            [
                "Executive summary",
                "The framework, cell by cell",
                "Action plan",
                "What changed since round 1",
                "Appendix: the framework",
            ],
            word.Headings(1)
        );
        Assert.Equal(
            12,
            word.Headings(2).Count(h => h.Contains(": The ", StringComparison.Ordinal))
        );
        Assert.True(word.HeaderRowsRepeat, "Every table's first row should repeat as a header row");

        var text = word.Text;
        Assert.Contains("Organisation: Northshire Council", text, StringComparison.Ordinal);
        Assert.Contains("Stage: Testing, round 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Stage: Stage", text, StringComparison.Ordinal);
        Assert.Contains(
            $"Participants: {org[MemberRole.Contributor].Name}, Priya Second",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Voices heard: Children and young people, Families",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains("The consent leaflet is agreed.", text, StringComparison.Ordinal);
        Assert.Contains(
            "Leaflet v3, signed off by the parent panel",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "One practitioner wants an easy-read version too.",
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            ReviewData.Peisc.FindCell("human-rights", "process")!.Question,
            text,
            StringComparison.Ordinal
        );
        Assert.Contains(ReviewData.Peisc.Source.Attribution, text, StringComparison.Ordinal);

        // The grid: a header row, then a row per section with its counts.
        var grid = word.Tables[0];
        Assert.Equal(
            [
                "Section",
                "The innovation",
                "The innovation process",
                "The changes, impact and outcomes that result",
            ],
            grid[0]
        );
        Assert.Equal("Social justice", grid[3][0]);
        Assert.Equal("2 of 9 considered\n2 concerns", grid[3][1]);
        // The action plan lists every action, done ones too; the changes table shows round 1 against round 2.
        var plan = word.Tables.Single(t =>
            t[0].SequenceEqual(["Action", "Owner", "Due", "Status", "Items"])
        );
        Assert.Equal(4, plan.Count - 1);
        var changes = word.Tables.Single(t => t[0].SequenceEqual(["Item", "Round 1", "Round 2"]));
        Assert.Contains(
            changes,
            r =>
                r[1] == "Concern\nConsent is unclear."
                && r[2] == "Addressed\nThe consent leaflet is agreed."
        );
    }

    [Theory, BothDatabases]
    public async Task BoardReport_TextWithControlCharacters_DownloadsWithThemDropped(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync("Northshire Council");
        // Pasted text can carry characters Word's XML cannot hold: a bell, an escape, U+FFFF.
        var review = await app.CreateReviewAsync(org, "Pilot\u0007 scheme\uFFFF");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent\u001B is unclear."
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, _, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/board-report.docx"
        );

        var word = new WordFile(bytes);
        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        var text = string.Join("\n", word.Paragraphs.Select(p => p.Text));
        Assert.Contains("Pilot scheme", text, StringComparison.Ordinal);
        Assert.Contains("Consent is unclear.", text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task BoardReport_ShowsWhatPeopleWithLivedExperienceSaid_ByItem(Db db)
    {
        var (app, org, review, _) = await SeedAsync(db);
        await using var _ = app;
        var (invitation, _) = await app.InviteVoicesAsync(
            org,
            review.Id,
            group: Voices.Carers,
            itemIds: ["human-rights.process.2"]
        );
        await app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var tracked = await db.VoiceInvitations.SingleAsync(i => i.Id == invitation.Id);
                return await sp.GetRequiredService<Peisc.Web.LivedExperience.VoiceService>()
                    .SubmitAsync(
                        tracked,
                        "Jo",
                        new Dictionary<string, string>
                        {
                            ["human-rights.process.2"] = "Nobody asked me what respite I needed.",
                        }
                    );
            }
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, _, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/board-report.docx"
        );
        var word = new WordFile(bytes);
        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        var texts = word.Paragraphs.Select(p => p.Text).ToList();
        var heading = texts.IndexOf(ReviewData.Peisc.FindItem("human-rights.process.2")!.Item.Text);
        var voice = texts.FindIndex(t =>
            t.Contains("Nobody asked me what respite I needed.", StringComparison.Ordinal)
        );
        Assert.True(heading >= 0 && voice > heading, "the voice is under its item");
        Assert.Equal("Lived experience, Carers: Jo", texts[voice - 1]);

        var print = await client.GetPageAsync($"/reviews/{review.Id}/report");
        Assert.Contains(
            "Lived experience, Carers: Jo: Nobody asked me what respite I needed.",
            Page.Normalise(print.Find(".app-lived-experience")!.TextContent),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Summary_AsViewer_ThreeMostSeriousConcernsAndWhatHappensNext(Db db)
    {
        var (app, org, review, _) = await SeedAsync(db);
        await using var _ = app;
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var (bytes, name, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/summary.docx"
        );

        Assert.Equal("peisc-family-group-conferencing-pilot-summary-round-2.docx", name);
        var word = new WordFile(bytes);
        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        Assert.Equal(
            ["Where the review stands", "The three most serious concerns", "What happens next"],
            word.Headings(1)
        );
        // No open action first, then overdue ones, then the rest (framework order within each).
        Assert.Equal(
            [
                "1. Professional integrity: The innovation process: "
                    + ReviewData.Peisc.FindCell("professional-integrity", "process")!.Items[0].Text,
                "2. Social justice: The innovation: "
                    + ReviewData.Peisc.FindCell("social-justice", "innovation")!.Items[1].Text,
                "3. Overarching: The changes, impact and outcomes that result: "
                    + ReviewData.Peisc.FindCell("overarching", "outcomes")!.Items[0].Text,
            ],
            word.Headings(2)
        );
        Assert.Contains(
            "1 more concern is in the full board report.",
            word.Text,
            StringComparison.Ordinal
        );
        var next = word.Tables.Single(t =>
            t[0].SequenceEqual(["Action", "Owner", "Due", "Status"])
        );
        Assert.Equal(
            ["Budget for interpreters", "Map rural travel times", "Agree outcome measures"],
            next.Skip(1).Select(r => r[0])
        );
        Assert.EndsWith("(overdue)", next[1][2], StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task WordDownloads_AuditedAndNotFoundForOtherOrganisations(Db db)
    {
        var (app, org, review, _) = await SeedAsync(db);
        await using var _ = app;
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var outsider = await app.SignedInAsync(other.Owner);
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);

        foreach (var what in new[] { "board-report.docx", "summary.docx" })
        {
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await outsider.GetAsync($"/reviews/{review.Id}/exports/{what}")).StatusCode
            );
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await viewer.GetAsync($"/reviews/{review.Id}/exports/{what}?round=7")).StatusCode
            );
            await viewer.DownloadAsync($"/reviews/{review.Id}/exports/{what}?round=1");
        }

        var exports = (await app.AuditAsync(org.Id))
            .Where(e => e.Action.StartsWith("export.", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(
            [AuditActions.BoardReportExported, AuditActions.SummaryExported],
            exports.Select(e => e.Action)
        );
        Assert.All(exports, e => Assert.Equal(org[MemberRole.Viewer].Id, e.ActorUserId));
        Assert.Contains("round 1", exports[0].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(
            await app.AuditAsync(other.Id),
            e => e.Action.StartsWith("export.", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task BoardReport_FirstRoundWithNothingAnswered_IsStillValid()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Empty");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var word = new WordFile(
            (await client.DownloadAsync($"/reviews/{review.Id}/exports/board-report.docx")).Bytes
        );

        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        Assert.Contains("What changed since the previous round", word.Headings(1));
        Assert.Contains("This is the review's first round", word.Text, StringComparison.Ordinal);
        Assert.Contains(
            "Participants: No one has recorded an answer yet",
            word.Text,
            StringComparison.Ordinal
        );
    }
}
