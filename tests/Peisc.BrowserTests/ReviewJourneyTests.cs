using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using static Microsoft.Playwright.Assertions;
using Position = Peisc.Web.Data.Position;

namespace Peisc.BrowserTests;

/// <summary>
/// Issue 3's journey as a new facilitator would do it in the browser: start a review, answer items
/// in two cells, raise an action, read the grid and the summary, start a second round and compare
/// the rounds. Every page and every error state on the way is scanned with axe.
/// </summary>
public sealed class ReviewJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Title = "Family group conferencing pilot";
    private const string ConcernReasoning =
        "Families are not yet told how their information is shared with the conference.";
    private const string NotApplicableReason =
        "The pilot has no residential element, so this does not arise.";
    private const string ActionTitle = "Write a consent leaflet for families";
    private const string AddressedReasoning =
        "The consent leaflet is agreed and every family now receives it before the conference.";

    private static readonly ViewportSize Narrow = new() { Width = 320, Height = 640 };
    private static readonly FrameworkEdition Edition = ReviewData.Peisc;
    private static readonly Cell Process = Edition.FindCell("human-rights", "process")!;
    private static readonly Cell Outcomes = Edition.FindCell("human-rights", "outcomes")!;
    private static readonly string ProcessTitle = Edition.FindDomain("process")!.Title;
    private static readonly string OutcomesTitle = Edition.FindDomain("outcomes")!.Title;

    // On both databases: the journey writes reviews, rounds, answers, actions and their history.
    [Theory]
    [BothDatabases]
    public async Task Journey_NewFacilitator_StartsAnswersRaisesActionAndComparesTwoRounds(
        Db provider
    )
    {
        var page = await StartAppAsync(provider: provider);
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        await page.SignInAsync(organisation[MemberRole.Facilitator].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        await page.ExpectHeadingAsync(organisation.Name);

        // 1. Start a review: first with nothing filled in, then properly.
        await page.ClickHeaderLinkAsync("Reviews");
        await page.ExpectPathAsync("/reviews");
        await page.ExpectHeadingAsync("Reviews");
        await page.ClickLinkAsync("Start a review");
        await page.ExpectPathAsync("/reviews/new");
        await page.ExpectHeadingAsync("Start a review");

        await page.ClickButtonAsync("Start review");
        Assert.Equal(
            [
                "Enter a title for the review",
                "Describe the innovation",
                "Select the service area",
                "Select the situation your team is in",
                "Select the stage the innovation is at",
            ],
            await page.ErrorSummaryAsync()
        );
        await Expect(page).ToHaveTitleAsync(new Regex("^Error: Start a review"));
        await page.AssertAccessibleAsync();

        await page.FillFieldAsync("Title", Title);
        await page.FillFieldAsync(
            "What is the innovation?",
            "Family group conferences for families whose children may otherwise come into care."
        );
        await page.CheckRadioAsync("Children's services");
        await page.CheckRadioAsync(Edition.Situations[1].Text);
        await page.CheckRadioAsync("2. Designing");
        await page.FillFieldAsync(
            "Partner organisations involved (optional)",
            "Northshire NHS Trust"
        );
        await page.ClickButtonAsync("Start review");

        await Expect(page).ToHaveURLAsync(new Regex(@"/reviews/[0-9a-f-]{36}$"));
        var review = new Uri(page.Url).AbsolutePath;
        await page.ExpectHeadingAsync("Overview");
        await Expect(page.Locator("#current-stage")).ToHaveTextAsync("Designing (round 1)");
        await Expect(page.Locator("#progress"))
            .ToHaveTextAsync("0 of 77 items considered; 0 concerns");
        var grid = page.GetByRole(
            AriaRole.Table,
            new() { Name = "Where the review stands, cell by cell" }
        );
        await Expect(grid.GetByRole(AriaRole.Link)).ToHaveCountAsync(12);

        // 2. Answer two items of Human rights × The innovation process; the second needs a reason.
        await grid.GetByRole(
                AriaRole.Link,
                new() { Name = $"Human rights: {ProcessTitle}", Exact = true }
            )
            .ClickAsync();
        await page.ExpectPathAsync($"{review}/cells/human-rights/process");
        await page.ExpectHeadingAsync(ProcessTitle);
        await Expect(page.Locator("#question")).ToHaveTextAsync(Process.Question);

        var first = page.Item(1);
        await first.CheckRadioAsync("Concern");
        await first.FillFieldAsync("Reasoning", ConcernReasoning);
        await first.CheckBoxAsync("Practitioners");
        var second = page.Item(2);
        await second.CheckRadioAsync("Not applicable");
        await page.ClickButtonAsync("Save");

        Assert.Equal(["Say why this item does not apply (item 2)"], await page.ErrorSummaryAsync());
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("review-cell-error.png"), FullPage = false }
        );
        // The form comes back as the person left it.
        await Expect(first.GetByRole(AriaRole.Radio, new() { Name = "Concern", Exact = true }))
            .ToBeCheckedAsync();
        await Expect(first.GetByLabel("Reasoning", new() { Exact = true }))
            .ToHaveValueAsync(ConcernReasoning);
        await Expect(
                first.GetByRole(AriaRole.Checkbox, new() { Name = "Practitioners", Exact = true })
            )
            .ToBeCheckedAsync();
        await Expect(
                second.GetByRole(AriaRole.Radio, new() { Name = "Not applicable", Exact = true })
            )
            .ToBeCheckedAsync();

        await second.FillFieldAsync("If not applicable, say why", NotApplicableReason);
        await page.ClickButtonAsync("Save");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Saved: Human rights, {ProcessTitle}");
        await page.AssertAccessibleAsync();
        await Expect(page.Locator("#cell-progress"))
            .ToHaveTextAsync("2 of 5 items in this cell considered. Review progress: 2 of 77.");

        // Moves on to the next cell and answers an item there too.
        await page.ClickButtonAsync("Save and go to the next cell");
        await page.ExpectPathAsync($"{review}/cells/human-rights/outcomes");
        await page.ExpectHeadingAsync(OutcomesTitle);
        await page.Item(1).CheckRadioAsync("Partly addressed");
        await page.Item(1)
            .FillFieldAsync(
                "Reasoning",
                "Outcomes for children are tracked, but not yet what families say about them."
            );
        await page.ClickButtonAsync("Save");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Saved: Human rights, {OutcomesTitle}");
        await page.AssertAccessibleAsync();

        // 3. Back to the concern, and raise an action from it: overdue from the start.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Previous cell") })
            .ClickAsync();
        await page.ExpectPathAsync($"{review}/cells/human-rights/process");
        await page.ExpectHeadingAsync(ProcessTitle);
        await page.Item(1)
            .GetByRole(AriaRole.Link, new() { Name = "Raise an action about item 1" })
            .ClickAsync();
        await page.ExpectPathAsync($"{review}/actions/new");
        await page.ExpectHeadingAsync("Raise an action");
        await Expect(page.Locator(".govuk-inset-text")).ToContainTextAsync(Process.Items[0].Text);

        await page.ClickButtonAsync("Raise action");
        Assert.Equal(
            ["Enter what needs to be done", "Select who owns this action"],
            await page.ErrorSummaryAsync()
        );
        await page.AssertAccessibleAsync();

        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10);
        await page.FillFieldAsync("What needs to be done", ActionTitle);
        await page.CheckRadioAsync("A named person");
        await page.FillFieldAsync("Their name or role", "Priya Shah, consent lead");
        await page.FillFieldAsync("Day", due.Day.ToString(CultureInfo.InvariantCulture));
        await page.FillFieldAsync("Month", due.Month.ToString(CultureInfo.InvariantCulture));
        await page.FillFieldAsync("Year", due.Year.ToString(CultureInfo.InvariantCulture));
        await page.CheckRadioAsync("Open");
        // The item it was raised from is already chosen.
        await Expect(
                page.GetByRole(
                    AriaRole.Checkbox,
                    new() { Name = Process.Items[0].Text, Exact = true }
                )
            )
            .ToBeCheckedAsync();
        await page.ClickButtonAsync("Raise action");

        await page.ExpectPathAsync($"{review}/actions");
        await page.ExpectHeadingAsync("Action plan");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Action raised: {ActionTitle}");
        var action = page.GetByRole(AriaRole.Row).Filter(new() { HasText = ActionTitle });
        await Expect(action).ToContainTextAsync("Priya Shah, consent lead");
        await Expect(action.Locator(".app-overdue")).ToHaveTextAsync("Overdue");
        await Expect(action).ToContainTextAsync("Open");

        // 4. The grid and the summary show where the review stands.
        await ClickReviewTabAsync(page, "Overview");
        await page.ExpectPathAsync(review);
        await page.ExpectHeadingAsync("Overview");
        await Expect(page.Locator("#progress"))
            .ToHaveTextAsync("3 of 77 items considered; 1 concern");
        var processCell = GridCell(grid, $"Human rights: {ProcessTitle}");
        await Expect(processCell).ToContainTextAsync("2 of 5 considered");
        await Expect(processCell.Locator(".govuk-tag")).ToHaveTextAsync("1 concern");
        await Expect(processCell).ToContainTextAsync("3 untouched");
        var outcomesCell = GridCell(grid, $"Human rights: {OutcomesTitle}");
        await Expect(outcomesCell).ToContainTextAsync("1 of 4 considered");
        await Expect(outcomesCell).ToContainTextAsync("No concerns");
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("review-overview.png"), FullPage = true }
        );

        await ClickReviewTabAsync(page, "Summary");
        await page.ExpectPathAsync($"{review}/summary");
        await page.ExpectHeadingAsync("Summary");
        var concern = SummaryCard(page, Process.Items[0].Text);
        await Expect(concern).ToContainTextAsync(ConcernReasoning);
        await Expect(concern).ToContainTextAsync("1 open action");
        var overdue = page.GetByRole(AriaRole.Table, new() { Name = "1 overdue action" });
        await Expect(overdue).ToContainTextAsync(ActionTitle);
        await Expect(overdue.Locator(".app-overdue")).ToHaveTextAsync("Overdue");

        // 5. The innovation moves to testing: a second round, confirmed on the second try.
        await ClickReviewTabAsync(page, "Rounds");
        await page.ExpectPathAsync($"{review}/rounds");
        await page.ExpectHeadingAsync("Rounds");
        await page.CheckRadioAsync("3. Testing");
        await page.ClickButtonAsync("Start round 2");
        Assert.Equal(["Confirm that round 1 will be frozen"], await page.ErrorSummaryAsync());
        await page.AssertAccessibleAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "3. Testing", Exact = true }))
            .ToBeCheckedAsync();
        await page.CheckBoxAsync(
            "I understand that round 1 will be frozen and its answers carried forward"
        );
        await page.ClickButtonAsync("Start round 2");

        await page.ExpectPathAsync(review);
        await page.ExpectHeadingAsync("Overview");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("Round 2 started at the Testing stage");
        await Expect(page.Locator("#current-stage")).ToHaveTextAsync("Testing (round 2)");
        await Expect(page.Locator("#progress"))
            .ToHaveTextAsync("3 of 77 items considered; 1 concern");

        // The concern was carried forward; the team now records it as addressed.
        await grid.GetByRole(
                AriaRole.Link,
                new() { Name = $"Human rights: {ProcessTitle}", Exact = true }
            )
            .ClickAsync();
        await page.ExpectHeadingAsync(ProcessTitle);
        var carried = page.Item(1);
        await Expect(carried.GetByRole(AriaRole.Radio, new() { Name = "Concern", Exact = true }))
            .ToBeCheckedAsync();
        await Expect(carried.GetByLabel("Reasoning", new() { Exact = true }))
            .ToHaveValueAsync(ConcernReasoning);
        await carried.CheckRadioAsync("Addressed");
        await carried.FillFieldAsync("Reasoning", AddressedReasoning);
        await page.ClickButtonAsync("Save");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Saved: Human rights, {ProcessTitle}");
        await page.AssertAccessibleAsync();

        // Compare round 1 with round 2 (the form's starting choice).
        await ClickReviewTabAsync(page, "Rounds");
        await page.ExpectHeadingAsync("Rounds");
        await page.ClickButtonAsync("Compare rounds");
        await page.ExpectPathAsync($"{review}/compare");
        await page.ExpectHeadingAsync("Compare rounds");
        await Expect(page.Locator("#compare-summary")).ToContainTextAsync("1 item changed");
        var change = SummaryCard(page, Process.Items[0].Text);
        await Expect(change).ToContainTextAsync("Round 1: Concern");
        await Expect(change).ToContainTextAsync("Round 2: Addressed");
        var reasoning = change
            .Locator(".govuk-summary-list__row")
            .Filter(new() { HasText = "Reasoning" });
        await Expect(reasoning.GetByRole(AriaRole.Paragraph))
            .ToHaveTextAsync(["Changed", ConcernReasoning, AddressedReasoning]);
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("review-compare.png"), FullPage = true }
        );

        // The organisation's list of reviews has caught up.
        await page.ClickHeaderLinkAsync("Reviews");
        await page.ExpectHeadingAsync("Reviews");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = Title });
        await Expect(row).ToContainTextAsync("Testing (round 2)");
        await Expect(row).ToContainTextAsync("3 of 77 considered");
        await Expect(row).ToContainTextAsync("1 overdue");
    }

    [Fact]
    public async Task OverviewViews_ByStage_MarksTheCurrentStageOnly()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var review = await App.CreateReviewAsync(organisation, Title, stageId: "stage.3");
        var testingItem = Edition
            .FindCell("overarching", "process")!
            .Items.Single(i => i.Stage == "stage.3");
        await App.AnswerAsync(organisation, review.Id, testingItem.Id, Position.PartlyAddressed);
        await page.SignInAsync(organisation[MemberRole.Contributor].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        await page.GoToAsync($"/reviews/{review.Id}");
        var views = page.GetByRole(
            AriaRole.Navigation,
            new() { Name = "Ways to walk the review", Exact = true }
        );

        // The other ways to walk the review, each scanned on the way.
        await views.GetByRole(AriaRole.Link, new() { Name = "section", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"\?view=section$"));
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Heading, new() { Level = 2 }))
            .ToHaveCountAsync(Edition.Sections.Count);
        await page.AssertAccessibleAsync();
        await views.GetByRole(AriaRole.Link, new() { Name = "domain", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"\?view=domain$"));
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Heading, new() { Level = 2 }))
            .ToHaveCountAsync(Edition.Domains.Count);
        await page.AssertAccessibleAsync();

        await views.GetByRole(AriaRole.Link, new() { Name = "stage", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"\?view=stage$"));
        await page.ExpectHeadingAsync("Overview");
        await Expect(views.Locator("[aria-current=page]")).ToHaveTextAsync("stage");
        var stages = page.Locator("#stages > li");
        await Expect(stages).ToHaveCountAsync(6);
        var current = stages.Filter(new() { HasText = "Current stage" });
        await Expect(current).ToHaveCountAsync(1);
        await Expect(current.GetByRole(AriaRole.Heading))
            .ToHaveTextAsync("3. Testing Current stage");
        await Expect(current)
            .ToContainTextAsync("The team's position on this stage: Partly addressed");
        await Expect(stages.Filter(new() { HasText = "2. Designing" }))
            .ToContainTextAsync("The team's position on this stage: Not yet considered");
    }

    [Fact]
    public async Task CellPage_Viewer_ReadsTheAnswersWithNoFormToChangeThem()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor, MemberRole.Viewer]
        );
        var review = await App.CreateReviewAsync(organisation, Title);
        await App.AnswerAsync(
            organisation,
            review.Id,
            Process.Items[0].Id,
            Position.Concern,
            ConcernReasoning,
            Voices.Practitioners | Voices.Families
        );
        await page.SignInAsync(organisation[MemberRole.Viewer].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        await page.ClickHeaderLinkAsync("Reviews");
        await page.ExpectHeadingAsync("Reviews");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Start a review" }))
            .ToHaveCountAsync(0);
        await page.ClickLinkAsync(Title);
        await page.ExpectHeadingAsync("Overview");

        await page.GetByRole(
                AriaRole.Link,
                new() { Name = $"Human rights: {ProcessTitle}", Exact = true }
            )
            .ClickAsync();
        await page.ExpectPathAsync($"/reviews/{review.Id}/cells/human-rights/process");
        await page.ExpectHeadingAsync(ProcessTitle);

        var main = page.GetByRole(AriaRole.Main);
        await Expect(main.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(main.GetByRole(AriaRole.Radio)).ToHaveCountAsync(0);
        await Expect(main.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);
        await Expect(main.GetByRole(AriaRole.Link, new() { NameRegex = new("^Raise an action") }))
            .ToHaveCountAsync(0);
        var first = page.Item(1);
        await Expect(first.Locator(".govuk-tag")).ToHaveTextAsync("Concern");
        await Expect(first).ToContainTextAsync(ConcernReasoning);
        await Expect(first).ToContainTextAsync("Families, Practitioners");
        await Expect(page.Item(2).Locator(".govuk-tag")).ToHaveTextAsync("Not yet considered");
    }

    // A light check: the radios and the save button work from the keyboard, with focus visible.
    [Fact]
    public async Task CellPage_KeyboardOnly_ChoosesAPositionTicksAVoiceAndSavesWithEnter()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var review = await App.CreateReviewAsync(organisation, Title);
        await page.SignInAsync(organisation[MemberRole.Contributor].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        var cell = $"/reviews/{review.Id}/cells/human-rights/process";
        await page.GoToAsync(cell);
        var first = page.Item(1);
        var notYet = first.GetByRole(
            AriaRole.Radio,
            new() { Name = "Not yet considered", Exact = true }
        );
        await Expect(notYet).ToBeCheckedAsync();

        // From the top of the page, Tab reaches the first item's first radio. An item not yet
        // answered has "Not yet considered" selected already, so the choice is changed as in
        // any radio group: the arrow keys move the selection.
        await page.EvaluateAsync(
            "() => { document.activeElement?.blur(); window.scrollTo(0, 0); }"
        );
        await page.TabToAsync(first.GetByRole(AriaRole.Radio).First);
        await Expect(notYet).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var addressed = first.GetByRole(AriaRole.Radio, new() { Name = "Addressed", Exact = true });
        await Expect(addressed).ToBeFocusedAsync();
        await Expect(addressed).ToBeCheckedAsync();
        await page.AssertFocusVisibleAsync();

        // Space ticks a voice.
        var families = first.GetByRole(
            AriaRole.Checkbox,
            new() { Name = "Families", Exact = true }
        );
        await page.TabToAsync(families);
        await page.Keyboard.PressAsync("Space");
        await Expect(families).ToBeCheckedAsync();

        // On through the other items to Save; Enter saves.
        await page.TabToAsync(
            page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true })
        );
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync(cell);
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Saved: Human rights, {ProcessTitle}");
        await page.AssertAccessibleAsync();
        await Expect(
                page.Item(1).GetByRole(AriaRole.Radio, new() { Name = "Addressed", Exact = true })
            )
            .ToBeCheckedAsync();
        await Expect(
                page.Item(1).GetByRole(AriaRole.Checkbox, new() { Name = "Families", Exact = true })
            )
            .ToBeCheckedAsync();
    }

    [Fact]
    public async Task OverviewAndCell_At320PixelsWide_DoNotScrollSideways()
    {
        await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var review = await App.CreateReviewAsync(organisation, Title);
        await App.AnswerAsync(
            organisation,
            review.Id,
            Process.Items[0].Id,
            Position.Concern,
            ConcernReasoning
        );
        var page = await NewPageAsync(Narrow);
        await page.SignInAsync(organisation[MemberRole.Contributor].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        await page.GoToAsync($"/reviews/{review.Id}");
        await page.AssertNoSidewaysScrollAsync();
        // The grid is wider than the screen: it scrolls in its own region, which a keyboard can reach.
        var region = page.GetByRole(AriaRole.Region, new() { Name = "Review grid" });
        await Expect(region).ToHaveAttributeAsync("tabindex", "0");
        await region.FocusAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(region).Not.ToHaveJSPropertyAsync("scrollLeft", 0);
        await page.AssertNoSidewaysScrollAsync();

        await page.GoToAsync($"/reviews/{review.Id}/cells/human-rights/process");
        await page.AssertNoSidewaysScrollAsync();
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("review-cell-320.png"), FullPage = false }
        );
        // With an error showing too.
        await page.Item(2).CheckRadioAsync("Not applicable");
        await page.ClickButtonAsync("Save");
        await page.ErrorSummaryAsync();
        await page.AssertNoSidewaysScrollAsync();
        await page.AssertAccessibleAsync();
    }

    private static Task ClickReviewTabAsync(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Review", Exact = true })
            .GetByRole(AriaRole.Link, new() { Name = name, Exact = true })
            .ClickAsync();

    /// <summary>The grid's cell that holds the link to this part of the framework.</summary>
    private static ILocator GridCell(ILocator grid, string link) =>
        grid.GetByRole(AriaRole.Cell)
            .Filter(
                new()
                {
                    Has = grid.Page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }),
                }
            );

    /// <summary>A GOV.UK summary card, found by its title (an item's text).</summary>
    private static ILocator SummaryCard(IPage page, string title) =>
        page.Locator(".govuk-summary-card")
            .Filter(
                new()
                {
                    Has = page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }),
                }
            );
}
