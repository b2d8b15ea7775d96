using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>trust.md X2: at 320 CSS pixels wide (400% zoom of 1280), the page never scrolls sideways.</summary>
public sealed class NarrowScreenTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly ViewportSize Narrow = new() { Width = 320, Height = 640 };

    [Theory]
    [InlineData("/")]
    [InlineData("/framework")]
    [InlineData("/framework/human-rights/process")]
    [InlineData("/framework/stages")]
    [InlineData("/framework/print")]
    [InlineData("/account/sign-in")]
    [InlineData("/accessibility")]
    [InlineData("/privacy")]
    [InlineData("/no-such-page")]
    public async Task PublicPage_At320PixelsWide_DoesNotScrollSideways(string path)
    {
        await StartAppAsync();
        await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        var page = await NewPageAsync(Narrow);

        await page.GotoAsync(path);

        await page.AssertNoSidewaysScrollAsync();
        await page.AssertAccessibleAsync();
    }

    [Fact]
    public async Task FrameworkGrid_At320PixelsWide_ScrollsInsideItsOwnFocusableRegion()
    {
        await StartAppAsync();
        await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        var page = await NewPageAsync(Narrow);
        await page.GotoAsync("/framework");

        var region = page.GetByRole(AriaRole.Region, new() { Name = "Framework grid" });
        await Expect(region).ToHaveAttributeAsync("tabindex", "0");
        var (scrollWidth, clientWidth) = await region.EvaluateAsync<int[]>(
            "el => [el.scrollWidth, el.clientWidth]"
        )
            is [var s, var c]
            ? (s, c)
            : (0, 0);
        Assert.True(clientWidth <= Narrow.Width, $"The grid region is {clientWidth}px wide");
        Assert.True(
            scrollWidth > clientWidth,
            "At 320px the grid is expected to scroll in its region"
        );
        await page.AssertNoSidewaysScrollAsync();

        // A keyboard user can scroll the region: focus it and press the right arrow.
        await region.FocusAsync();
        await page.AssertFocusVisibleAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(region).Not.ToHaveJSPropertyAsync("scrollLeft", 0);
        await page.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("framework-320.png"), FullPage = true }
        );
    }

    [Fact]
    public async Task SignedInOrganisationPages_At320PixelsWide_DoNotScrollSideways()
    {
        await StartAppAsync();
        // Addresses of a realistic length: one with no break opportunity longer than the screen cannot wrap.
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var owner = await App.AddMemberAsync(
            organisation.Id,
            MemberRole.Owner,
            "olu.owner@northshire.gov.uk"
        );
        var viewer = await App.AddMemberAsync(
            organisation.Id,
            MemberRole.Viewer,
            "sam.jones@northshire.gov.uk"
        );
        var page = await NewPageAsync(Narrow);
        await page.SignInAsync(owner.Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        var failures = new List<string>();
        foreach (
            var path in new[]
            {
                "/organisation",
                "/organisation/members/invite",
                $"/organisation/members/{viewer.MembershipId}",
                "/organisation/settings",
                "/account/two-factor",
                "/account/sign-out",
                // Pages with wide tables: each table scrolls inside its own region.
                "/organisation/members",
                "/organisation/editions",
                "/organisation/audit",
            }
        )
        {
            await page.GotoAsync(path);
            try
            {
                await page.AssertNoSidewaysScrollAsync();
            }
            catch (Exception e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
