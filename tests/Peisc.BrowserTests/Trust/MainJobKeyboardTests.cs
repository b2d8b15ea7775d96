using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// trust.md X3: the main job done with the keyboard alone in Chromium (Tab, Shift+Tab, Enter, Space,
/// arrow keys and typing; no clicks, no navigation by address after the sign-in page): sign in,
/// start a review, open a cell, record a position with reasoning, save, raise an action, see the
/// summary, download the board report and open its print view. At every focus stop on the way,
/// focus is visible and not hidden (WCAG 2.4.7, 2.4.11).
/// </summary>
public sealed class MainJobKeyboardTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture)
{
    private const string Title = "Family group conferencing pilot";
    private const string Reasoning =
        "Families were not told they could say no to the meeting. Typed with the keyboard alone.";
    private const string ActionTitle = "Write a plain-language leaflet about saying no";

    private readonly List<string> _steps = [];
    private int _stops;

    [Fact]
    public async Task MainJob_KeyboardOnly_CompletesWithFocusAlwaysVisible()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            "Northshire adult social care",
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var facilitator = organisation[MemberRole.Facilitator];
        await page.GoToAsync("/account/sign-in");

        // Sign in.
        await TabToAsync(page, page.GetByLabel("Email address", new() { Exact = true }), "email");
        await page.Keyboard.TypeAsync(facilitator.Email);
        await TabToAsync(page, page.GetByLabel("Password", new() { Exact = true }), "password");
        await page.Keyboard.TypeAsync(TestApp.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync("/organisation");

        // Start a review of an innovation.
        await TabToAsync(page, HeaderLink(page, "Reviews"), "header link Reviews");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Reviews");
        await TabToAsync(page, Link(page, "Start a review"), "Start a review");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Start a review");
        await TabToAsync(page, page.GetByLabel("Title", new() { Exact = true }), "title");
        await page.Keyboard.TypeAsync(Title);
        await TabToAsync(page, page.GetByLabel("What is the innovation?"), "innovation");
        await page.Keyboard.TypeAsync("Family group conferences before a child protection plan.");
        await ChooseAsync(page, "Input.ServiceArea", "Children's services");
        await ChooseAsync(page, "Input.SituationId", null);
        await ChooseAsync(page, "Input.StageId", null);
        await TabToAsync(page, Button(page, "Start review"), "Start review");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Overview");
        var reviewId = Guid.Parse(new Uri(page.Url).Segments[^1]);

        // Open a cell from the review grid.
        await TabToAsync(
            page,
            page.Locator("[id='cell-human-rights.process'] a"),
            "the grid's Human rights: process cell"
        );
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync($"/reviews/{reviewId}/cells/human-rights/process");
        await page.AssertAccessibleAsync();

        // Record a position with reasoning on the first item, and save.
        var item = page.Item(1);
        await TabToAsync(
            page,
            item.Locator("input[type=radio][name='Items[0].Position']"),
            "item 1's position"
        );
        await ArrowToAsync(page, item.GetByRole(AriaRole.Radio, new() { Name = "Concern" }));
        await TabToAsync(page, item.GetByLabel("Reasoning", new() { Exact = true }), "reasoning");
        await page.Keyboard.TypeAsync(Reasoning);
        await TabToAsync(page, Button(page, "Save"), "Save");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("Saved: Human rights");
        await page.AssertAccessibleAsync();

        // Raise an action about that item.
        await TabToAsync(page, Link(page, "Raise an action about item 1"), "Raise an action");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Raise an action");
        await TabToAsync(page, page.GetByLabel("What needs to be done"), "what needs to be done");
        await page.Keyboard.TypeAsync(ActionTitle);
        await ChooseAsync(page, "Input.OwnerKind", "A named person");
        await TabToAsync(page, page.GetByLabel("Their name or role"), "their name or role");
        await page.Keyboard.TypeAsync("Participation lead");
        await TabToAsync(page, Button(page, "Raise action"), "Raise action");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync($"/reviews/{reviewId}/actions");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("Action raised");
        await page.AssertAccessibleAsync();

        // See the summary.
        var reviewNav = page.GetByRole(AriaRole.Navigation, new() { Name = "Review" });
        // The review's tabs are above the success banner, which has focus: back up with Shift+Tab.
        await TabToAsync(page, Link(reviewNav, "Summary"), "review tab Summary", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Summary");
        await Expect(page.Locator("main")).ToContainTextAsync("Concern");

        // Download the board report, then open its print view.
        await TabToAsync(page, Link(reviewNav, "Export and reports"), "review tab Exports");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync("Export and reports");
        await TabToAsync(
            page,
            Link(page, "Download the board report (Word)"),
            "Download the board report (Word)"
        );
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Keyboard.PressAsync("Enter")
        );
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        await TabToAsync(page, Link(page, "Board report print view"), "Board report print view");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectHeadingAsync($"Ethical review: {Title}");
        await Expect(page.Locator("main")).ToContainTextAsync(Reasoning);
        await Expect(page.Locator("main")).ToContainTextAsync(ActionTitle);

        // What the keyboard did is what was stored.
        var answer = await App.QueryAsync(
            db => db.Answers.SingleAsync(a => a.ItemId == "human-rights.process.1"),
            organisation.Id
        );
        Assert.Equal(Peisc.Web.Data.Position.Concern, answer.Position);
        Assert.Equal(Reasoning, answer.Reasoning);
        Assert.Equal(
            ActionTitle,
            (await App.QueryAsync(db => db.Actions.SingleAsync(), organisation.Id)).Title
        );
        output.WriteLine(
            $"{_stops} focus stops, each with visible, unhidden focus:\n"
                + string.Join("\n", _steps)
        );
    }

    private static ILocator HeaderLink(IPage page, string name) =>
        page.GetByRole(AriaRole.Banner)
            .GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocator Link(IPage page, string name) =>
        page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocator Link(ILocator scope, string name) =>
        scope.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    private static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>
    /// Presses Tab (or Shift+Tab, to go back up the page) until one of the target's elements has
    /// focus, checking focus at every stop. Past the last stop focus leaves the page for the
    /// browser's own controls, once; the next press brings it back to the top.
    /// </summary>
    private async Task TabToAsync(
        IPage page,
        ILocator target,
        string step,
        bool backwards = false,
        int limit = 400
    )
    {
        var key = backwards ? "Shift+Tab" : "Tab";
        var leftThePage = false;
        for (var presses = 1; presses <= limit; presses++)
        {
            await page.Keyboard.PressAsync(key);
            if (
                !leftThePage
                && await page.EvaluateAsync<bool>("() => document.activeElement === document.body")
            )
            {
                leftThePage = true;
                continue;
            }
            _stops++;
            await AssertFocusSeenAsync(page);
            if (await target.EvaluateAllAsync<bool>("els => els.includes(document.activeElement)"))
            {
                _steps.Add(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {new Uri(page.Url).AbsolutePath}: {presses} presses of {key} to {step}"
                    )
                );
                return;
            }
        }
        throw new Xunit.Sdk.XunitException(
            $"{page.Url}: {limit} presses of {key} did not reach {step}"
        );
    }

    /// <summary>Tabs into a radio group, then chooses with Space and the arrow keys (the first option when none is named).</summary>
    private async Task ChooseAsync(IPage page, string name, string? label)
    {
        var group = page.Locator($"input[type=radio][name='{name}']");
        await TabToAsync(page, group, $"the {name} radios");
        await page.Keyboard.PressAsync("Space");
        if (label is not null)
        {
            await ArrowToAsync(
                page,
                page.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true })
            );
        }
        Assert.Equal(
            1,
            await page.Locator($"input[type=radio][name='{name}']:checked").CountAsync()
        );
    }

    /// <summary>Moves through a radio group with the down arrow until the target option is chosen.</summary>
    private async Task ArrowToAsync(IPage page, ILocator radio)
    {
        for (var presses = 0; presses < 20; presses++)
        {
            if (await radio.IsCheckedAsync())
            {
                await Expect(radio).ToBeFocusedAsync();
                return;
            }
            await page.Keyboard.PressAsync("ArrowDown");
            _stops++;
            await AssertFocusSeenAsync(page);
        }
        throw new Xunit.Sdk.XunitException($"{page.Url}: the arrow keys did not reach {radio}");
    }

    /// <summary>
    /// Focus.AssertFocusVisibleAsync, and for GOV.UK's radios and checkboxes (whose real input is
    /// transparent, and whose focus ring is drawn on the label) that the ring is really drawn.
    /// </summary>
    internal static async Task AssertFocusSeenAsync(IPage page)
    {
        await page.AssertFocusVisibleAsync();
        var ring = await page.EvaluateAsync<string>(
            """
            () => {
              const el = document.activeElement;
              if (!el.matches('.govuk-radios__input, .govuk-checkboxes__input')) return 'not a GOV.UK radio or checkbox';
              const label = el.labels && el.labels[0];
              const before = label ? getComputedStyle(label, '::before') : null;
              return before && before.boxShadow !== 'none' ? 'ring' : `no focus ring on the label of ${el.outerHTML.slice(0, 120)}`;
            }
            """
        );
        Assert.True(ring is "ring" or "not a GOV.UK radio or checkbox", $"{page.Url}: {ring}");
    }
}
