using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

public sealed class FrameworkJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task BrowseFramework_WithoutSigningIn_ReadsGridCellsStagesAndPrintCards()
    {
        var page = await StartAppAsync();
        // An organisation exists, so first-run set-up is over and "/" is the start page.
        await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        var edition = App.Services.GetRequiredService<FrameworkCatalog>().Default;
        var cell = edition.FindCell("human-rights", "process")!;

        await page.GoToAsync("/");
        await page.ExpectHeadingAsync("Ethical reviews of innovation in social care");
        await page.ClickLinkAsync("The questions, as a grid of sections and domains");

        // The grid: a table with a header row of domains and a header cell for each section.
        await page.ExpectPathAsync("/framework");
        await page.ExpectHeadingAsync(edition.Title);
        var grid = page.GetByRole(AriaRole.Table, new() { Name = "Sections and domains" });
        await Expect(grid.GetByRole(AriaRole.Rowheader))
            .ToHaveTextAsync([
                "Overarching",
                "Human rights",
                "Social justice",
                "Professional integrity",
            ]);
        await Expect(grid.GetByRole(AriaRole.Columnheader)).ToHaveCountAsync(3);
        await Expect(grid.GetByRole(AriaRole.Columnheader).First)
            .ToContainTextAsync("The innovation");
        await Expect(grid.GetByRole(AriaRole.Link)).ToHaveCountAsync(12);

        // Human rights × The innovation process.
        await grid.GetByRole(AriaRole.Row, new() { Name = "Human rights" })
            .GetByRole(AriaRole.Link)
            .Nth(1)
            .ClickAsync();
        await page.ExpectPathAsync("/framework/human-rights/process");
        await page.ExpectHeadingAsync("The innovation process");
        await Expect(page.Locator("main")).ToContainTextAsync("Human rights");
        await Expect(page.Locator($"[id='{cell.Id}']")).ToHaveTextAsync(cell.Question);
        var items = page.Locator("main ul.govuk-list--bullet").First.Locator("> li");
        await Expect(items).ToHaveCountAsync(cell.Items.Count);
        await Expect(items.First).ToHaveTextAsync(cell.Items[0].Text);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" }))
            .ToBeVisibleAsync();

        // "Next" walks domain by domain within the section.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Next") }).ClickAsync();
        await page.ExpectPathAsync("/framework/human-rights/outcomes");
        await page.ExpectHeadingAsync("The changes, impact and outcomes that result");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Previous") }).ClickAsync();
        await page.ExpectPathAsync("/framework/human-rights/process");
        await page.AssertAccessibleAsync();

        await page.GoToAsync("/framework");
        await page.ClickLinkAsync("The six stages of innovation");
        await page.ExpectPathAsync("/framework/stages");
        await page.ExpectHeadingAsync("The stages of innovation");
        var stages = page.Locator("main")
            .GetByRole(AriaRole.Heading, new() { Level = 2 })
            .Filter(new() { HasTextRegex = new(@"^\d\. ") });
        await Expect(stages).ToHaveCountAsync(6);
        await Expect(stages.First).ToHaveTextAsync("1. Prompting");

        await page.GoToAsync("/framework");
        await page.ClickLinkAsync("Question cards to print");
        await page.ExpectPathAsync("/framework/print");
        await page.ExpectHeadingAsync("Question cards to print");
        var cards = page.Locator(".app-question-card");
        await Expect(cards).ToHaveCountAsync(12);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = cell.Question }))
            .ToBeVisibleAsync();

        // Printed, the cards stand alone: no header, navigation, footer or on-screen introduction.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".govuk-generic-header")).ToBeHiddenAsync();
        await Expect(page.Locator(".govuk-service-navigation")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Contentinfo)).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeHiddenAsync();
        await Expect(cards.Nth(11)).ToBeVisibleAsync();
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("framework-print-media.png"), FullPage = true }
        );

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator(".govuk-generic-header")).ToBeVisibleAsync();
    }
}
