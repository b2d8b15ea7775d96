using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Position = Peisc.Web.Data.Position;

namespace Peisc.BrowserTests;

/// <summary>Issue 5: a viewer downloads every export from the review's "Export and reports" page; the report pages pass axe.</summary>
public sealed class ExportJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static async Task<(string Name, long Bytes)> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = await download.PathAsync();
        Assert.Null(await download.FailureAsync());
        return (download.SuggestedFilename, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Viewer_DownloadsEveryExportFromThePage_AndTheReportPagesAreAccessible()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync();
        var review = await App.CreateReviewAsync(organisation, "Family group conferencing pilot");
        await App.AnswerAsync(
            organisation,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear.",
            Voices.Families
        );
        await App.CreateActionAsync(
            organisation,
            review.Id,
            "Write the consent leaflet",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2),
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await App.StartRoundAsync(organisation, review.Id, "stage.3");
        var audit = new PageAudit(page);

        await page.SignInAsync(organisation[MemberRole.Viewer].Email, TestApp.Password);
        await page.GoToAsync($"/reviews/{review.Id}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Review" })
            .GetByRole(AriaRole.Link, new() { Name = "Export and reports" })
            .ClickAsync();
        await page.ExpectHeadingAsync("Export and reports");

        var links = page.GetByRole(AriaRole.Main).Locator("a[download]");
        var count = await links.CountAsync();
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (name, bytes) = await DownloadAsync(page, links.Nth(i));
            Assert.True(bytes > 100, $"{name} is only {bytes} bytes");
            names.Add(name);
        }
        var slug = "peisc-family-group-conferencing-pilot";
        var expected = new List<string>
        {
            $"{slug}-board-report-round-2.docx",
            $"{slug}-summary-round-2.docx",
            $"{slug}-facilitation-pack-testing.docx",
            $"{slug}-answers-round-2.xlsx",
            $"{slug}-answers-round-2.csv",
            $"{slug}-answers-round-1.xlsx",
            $"{slug}-answers-round-1.csv",
            $"{slug}-actions.xlsx",
            $"{slug}-actions.csv",
            $"{slug}-review.json",
        };
        if (await page.Locator("#pdf-unavailable").CountAsync() == 0)
        {
            expected.InsertRange(1, [$"{slug}-board-report-round-2.pdf"]);
            expected.InsertRange(3, [$"{slug}-summary-round-2.pdf"]);
        }
        Assert.Equal(expected, names);

        await page.ClickLinkAsync("Board report print view");
        await page.ExpectHeadingAsync("Ethical review: Family group conferencing pilot");
        await page.GoBackAsync();
        await page.ClickLinkAsync("One-page summary as a web page");
        await page.ExpectHeadingAsync("Summary: Family group conferencing pilot");
        await page.GoBackAsync();
        await page.ClickLinkAsync("Facilitation pack: choose the situation and stage, then print");
        await page.ExpectHeadingAsync("Facilitation pack");
        await page.GetByLabel("Stage", new() { Exact = true }).SelectOptionAsync("stage.6");
        await page.ClickButtonAsync("Show the pack");
        await page.ExpectHeadingAsync("Facilitation pack");
        var (packName, _) = await DownloadAsync(
            page,
            page.GetByRole(AriaRole.Link, new() { Name = "Download this pack (Word)" })
        );
        Assert.Equal($"{slug}-facilitation-pack-system-change.docx", packName);

        // The print stylesheet: in print, the site's header and the review's tabs are gone.
        await page.GotoAsync($"/reviews/{review.Id}/report");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator(".app-review-nav").IsVisibleAsync());
        Assert.False(await page.Locator(".govuk-service-navigation").IsVisibleAsync());
        Assert.True(await page.Locator("#executive-summary").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.ClickHeaderLinkAsync("Reviews");
        var (portfolio, _) = await DownloadAsync(
            page,
            page.GetByRole(AriaRole.Link, new() { Name = "Download the portfolio as XLSX (Excel)" })
        );
        Assert.StartsWith("peisc-portfolio-", portfolio, StringComparison.Ordinal);

        await audit.VisitAsync($"/reviews/{review.Id}/exports");
        await audit.VisitAsync($"/reviews/{review.Id}/report?round=1");
        await audit.VisitAsync($"/reviews/{review.Id}/one-page");
        await audit.VisitAsync($"/reviews/{review.Id}/facilitation-pack?stage=all");
        await audit.VisitAsync("/reviews");
        audit.AssertClean();
    }
}
