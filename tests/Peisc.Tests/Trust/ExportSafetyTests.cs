using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reports;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md I4 across every spreadsheet export (answers, actions, portfolio; CSV and XLSX; the
/// pages' and the API's routes): stored text that starts with a tab or CR (which the forms trim, but
/// an older row or an import can hold) is neutralised, text with leading spaces, quotes, commas,
/// line breaks and other scripts reads back unchanged, and the file name is the server's own.
/// </summary>
public sealed class ExportSafetyTests
{
    public static TheoryData<Db, SheetFormat> Both =>
        new()
        {
            { Db.Sqlite, SheetFormat.Xlsx },
            { Db.Sqlite, SheetFormat.Csv },
            { Db.Postgres, SheetFormat.Xlsx },
            { Db.Postgres, SheetFormat.Csv },
        };

    private const string Awkward = "  leading spaces, \"quotes\",\r\nline two – café 子ども 👪";

    [Theory, MemberData(nameof(Both))]
    public async Task EveryExport_StoredTextStartingWithTabOrCr_StartsWithAnApostrophe(
        Db db,
        SheetFormat format
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Plain title");
        var item = ReviewData.Peisc.Sections[0].Cells[0].Items[0].Id;
        var answer = await app.AnswerAsync(org, review.Id, item, Position.Concern, "x");
        var action = await app.CreateActionAsync(org, review.Id, "y", null, ActionStatus.Open);
        // As an import or an older version could have stored them, past the forms' trimming.
        await app.QueryAsync(
            async d =>
            {
                await d
                    .Answers.Where(a => a.Id == answer.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Reasoning, "\t=1+1"));
                await d
                    .Actions.Where(a => a.Id == action.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, "\r=2+2"));
                return await d
                    .Reviews.Where(r => r.Id == review.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Title, "\t@SUM(A1)"));
            },
            org.Id
        );
        var browser = await app.SignedInAsync(org[MemberRole.Viewer]);
        var api = await app.ApiClientAsync(org, MemberRole.Viewer);
        var ext = Spreadsheet.Extension(format);

        foreach (var (client, prefix) in new[] { (browser, "/reviews"), (api, "/api/v1/reviews") })
        {
            var answers = Read(
                format,
                (await client.DownloadAsync($"{prefix}/{review.Id}/exports/answers.{ext}")).Bytes
            );
            Assert.Equal("'\t=1+1", answers.Single(r => r["Item id"] == item)["Reasoning"]);
            var actions = Read(
                format,
                (await client.DownloadAsync($"{prefix}/{review.Id}/exports/actions.{ext}")).Bytes
            );
            Assert.Equal(AsStored(format, "'\r=2+2"), Assert.Single(actions)["Action"]);
        }
        foreach (
            var (client, url) in new[]
            {
                (browser, $"/reviews/portfolio.{ext}"),
                (api, $"/api/v1/exports/portfolio.{ext}"),
            }
        )
        {
            var portfolio = Read(format, (await client.DownloadAsync(url)).Bytes);
            Assert.Equal("'\t@SUM(A1)", Assert.Single(portfolio)["Title"]);
        }
    }

    // PostgreSQL cannot store NUL in text at all; SQLite can (an import or an older row), so a
    // NUL before a formula is neutralised like a tab, and an XLSX file (XML, which cannot hold NUL)
    // still downloads and opens.
    [Theory]
    [InlineData(SheetFormat.Csv)]
    [InlineData(SheetFormat.Xlsx)]
    public async Task EveryExport_StoredTextStartingWithNul_StaysText(SheetFormat format)
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Plain title");
        var action = await app.CreateActionAsync(org, review.Id, "y", null, ActionStatus.Open);
        await app.QueryAsync(
            d =>
                d.Actions.Where(a => a.Id == action.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, "\0=3+3")),
            org.Id
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var actions = Read(
            format,
            (
                await client.DownloadAsync(
                    $"/reviews/{review.Id}/exports/actions.{Spreadsheet.Extension(format)}"
                )
            ).Bytes
        );

        var title = Assert.Single(actions)["Action"];
        Assert.StartsWith("'", title, StringComparison.Ordinal);
        Assert.EndsWith("=3+3", title, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Both))]
    public async Task EveryExport_AwkwardText_ReadsBackUnchanged(Db db, SheetFormat format)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Plain title");
        var item = ReviewData.Peisc.Sections[0].Cells[0].Items[0].Id;
        var answer = await app.AnswerAsync(org, review.Id, item, Position.Concern, "x");
        var action = await app.CreateActionAsync(org, review.Id, "y", null, ActionStatus.Open);
        await app.QueryAsync(
            async d =>
            {
                await d
                    .Answers.Where(a => a.Id == answer.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Reasoning, Awkward));
                await d
                    .Actions.Where(a => a.Id == action.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, Awkward));
                return await d
                    .Reviews.Where(r => r.Id == review.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Title, Awkward));
            },
            org.Id
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var ext = Spreadsheet.Extension(format);

        var answers = Read(
            format,
            (await client.DownloadAsync($"/reviews/{review.Id}/exports/answers.{ext}")).Bytes
        );
        var actions = Read(
            format,
            (await client.DownloadAsync($"/reviews/{review.Id}/exports/actions.{ext}")).Bytes
        );
        var portfolio = Read(
            format,
            (await client.DownloadAsync($"/reviews/portfolio.{ext}")).Bytes
        );

        Assert.Equal(
            AsStored(format, Awkward),
            answers.Single(r => r["Item id"] == item)["Reasoning"]
        );
        Assert.Equal(AsStored(format, Awkward), Assert.Single(actions)["Action"]);
        Assert.Equal(AsStored(format, Awkward), Assert.Single(portfolio)["Title"]);
    }

    [Theory, MemberData(nameof(Both))]
    public async Task EveryExport_FileNameInTheRequest_DoesNotChangeTheServersName(
        Db db,
        SheetFormat format
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Consent pilot");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var ext = Spreadsheet.Extension(format);
        const string Evil = "?fileName=evil.exe&filename=..%2F..%2Fevil.bat&name=%0D%0AX-Evil:1";

        var names = new List<string>();
        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}/exports/answers.{ext}",
                $"/reviews/{review.Id}/exports/actions.{ext}",
                $"/reviews/portfolio.{ext}",
            }
        )
        {
            var response = await client.GetAsync(url + Evil);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Evil"));
            var disposition = response.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            var name = disposition.FileNameStar ?? disposition.FileName!.Trim('"');
            names.Add(name);
            Assert.DoesNotContain("evil", name, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(
            [$"peisc-consent-pilot-answers-round-1.{ext}", $"peisc-consent-pilot-actions.{ext}"],
            names.Take(2)
        );
        Assert.StartsWith("peisc-", names[2], StringComparison.Ordinal);
        Assert.EndsWith("." + ext, names[2], StringComparison.Ordinal);
    }

    // A workbook's XML stores a line break as LF: CR and CRLF read back as LF in XLSX.
    private static string AsStored(SheetFormat format, string text) =>
        format == SheetFormat.Csv
            ? text
            : text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static List<Dictionary<string, string>> Read(SheetFormat format, byte[] bytes) =>
        format == SheetFormat.Csv ? ReportData.ReadCsv(bytes) : ReportData.ReadXlsx(bytes);
}
