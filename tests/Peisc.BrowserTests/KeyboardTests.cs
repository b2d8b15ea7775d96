using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>trust.md X3: journeys complete with the keyboard alone, and focus is always visible.</summary>
public sealed class KeyboardTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task SignIn_KeyboardOnly_SkipLinkFirstThenFieldsAndEnterSubmits()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        await page.GoToAsync("/account/sign-in");

        // The first Tab reaches the skip link, which then shows; Enter moves focus to the main content.
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" });
        await Expect(skip).ToBeFocusedAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // From the main content, the next stops are the form's fields and its button.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Email address", new() { Exact = true })).ToBeFocusedAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.TypeAsync(organisation.Owner.Email);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.TypeAsync(TestApp.Password);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }))
            .ToBeFocusedAsync();
        await page.AssertFocusVisibleAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync("/organisation");
        await page.ExpectHeadingAsync(organisation.Name);
    }

    [Fact]
    public async Task SignIn_EnterInPasswordFieldWithErrors_SummaryTakesFocusAndLinksToField()
    {
        var page = await StartAppAsync();
        await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        await page.GoToAsync("/account/sign-in");

        await page.GetByLabel("Email address", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var summary = page.Locator(".govuk-error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await page.AssertAccessibleAsync();
        // Tab into the summary, follow its first link with Enter: focus lands on the field.
        await page.Keyboard.PressAsync("Tab");
        await Expect(summary.GetByRole(AriaRole.Link).First).ToBeFocusedAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("Email address", new() { Exact = true })).ToBeFocusedAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/framework")]
    [InlineData("/framework/social-justice/outcomes")]
    [InlineData("/account/sign-in")]
    public async Task TabThroughPage_EveryStop_HasVisibleFocusInView(string path)
    {
        var page = await StartAppAsync();
        await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        await page.GoToAsync(path);

        var stops = await page.TabThroughAsync();

        Assert.True(stops.Count >= 5, $"Only {stops.Count} focus stops on {path}");
    }

    [Fact]
    public async Task TabThroughSignedInPages_Owner_EveryStopHasVisibleFocusInView()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        await App.AddMemberAsync(organisation.Id, MemberRole.Viewer);
        await page.SignInAsync(organisation.Owner.Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        foreach (
            var path in new[]
            {
                "/organisation",
                "/organisation/members",
                "/organisation/members/invite",
                "/organisation/settings",
            }
        )
        {
            await page.GoToAsync(path);
            await page.TabThroughAsync();
        }
    }
}
