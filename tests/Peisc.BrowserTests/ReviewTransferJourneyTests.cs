using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;
using Position = Peisc.Web.Data.Position;

namespace Peisc.BrowserTests;

/// <summary>Issue 5, item 6: a facilitator downloads a whole review as JSON and imports it, after a file cut short is refused.</summary>
public sealed class ReviewTransferJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Facilitator_DownloadsTheReviewAndImportsIt_AfterACutShortFileIsRefused()
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
            null,
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await App.StartRoundAsync(organisation, review.Id, "stage.3");
        var audit = new PageAudit(page);

        await page.SignInAsync(organisation[MemberRole.Facilitator].Email, TestApp.Password);
        await page.GoToAsync($"/reviews/{review.Id}/exports");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download the whole review (JSON)" })
                .ClickAsync()
        );
        Assert.Equal(
            "peisc-family-group-conferencing-pilot-review.json",
            download.SuggestedFilename
        );
        var file = await File.ReadAllBytesAsync(await download.PathAsync());
        var folder = Directory.CreateTempSubdirectory("peisc-import-");
        var whole = Path.Combine(folder.FullName, "review.json");
        var cutShort = Path.Combine(folder.FullName, "cut-short.json");
        await File.WriteAllBytesAsync(whole, file);
        await File.WriteAllBytesAsync(cutShort, file[..(file.Length / 2)]);

        await page.ClickHeaderLinkAsync("Reviews");
        await page.ClickLinkAsync("Import a review");
        await page.ExpectHeadingAsync("Import a review");
        await audit.ScanAsync();

        await page.GetByLabel("Review file").SetInputFilesAsync(cutShort);
        await page.ClickButtonAsync("Import review");
        await Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();
        await Expect(page.Locator("#import-problems"))
            .ToContainTextAsync("The file is not complete JSON: it ends too soon (line");
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        await audit.ScanAsync();

        await page.GetByLabel("Review file").SetInputFilesAsync(whole);
        await page.ClickButtonAsync("Import review");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("Family group conferencing pilot imported");
        Assert.DoesNotContain(review.Id.ToString(), page.Url, StringComparison.Ordinal);
        await page.ExpectHeadingAsync("Overview");
        Assert.StartsWith(
            "Family group conferencing pilot",
            await page.TitleAsync(),
            StringComparison.Ordinal
        );
        await Expect(page.Locator("#current-stage")).ToContainTextAsync("round 2");
        await audit.ScanAsync();

        await page.ClickHeaderLinkAsync("Reviews");
        await Expect(
                page.GetByRole(AriaRole.Link, new() { Name = "Family group conferencing pilot" })
            )
            .ToHaveCountAsync(2);
        audit.AssertClean();
        folder.Delete(recursive: true);
    }
}
