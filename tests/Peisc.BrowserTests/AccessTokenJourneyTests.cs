using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

public sealed class AccessTokenJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task AccessToken_CreateUseAndRevoke_EveryStateHasNoAxeViolations()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Contributor);
        var audit = new PageAudit(page);
        await page.SignInAsync(organisation[MemberRole.Contributor].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        // From Your account to the tokens page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Your account", Exact = true })
            .ClickAsync();
        await page.ClickLinkAsync("Manage your API access tokens");
        await page.ExpectPathAsync("/account/tokens");
        await page.ExpectHeadingAsync("API access tokens");

        // Nothing filled in: both errors, linked to their fields.
        await page.ClickButtonAsync("Create token");
        Assert.Equal(
            ["Enter a name for the token", "Select how long the token will work for"],
            await page.ErrorSummaryAsync()
        );
        await audit.ScanAsync();

        await page.FillFieldAsync("Name", "Quarterly report script");
        await page.CheckRadioAsync("90 days");
        await page.ClickButtonAsync("Create token");
        var shown = page.Locator("#new-token");
        await Expect(shown).ToBeVisibleAsync();
        var token = (await shown.InnerTextAsync()).Trim();
        Assert.StartsWith("peisc_", token, StringComparison.Ordinal);
        await audit.ScanAsync();

        // A program uses it.
        using var api = new HttpClient { BaseAddress = BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        // Shown once: not on the page again.
        await page.GoToAsync("/account/tokens");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(token);
        await Expect(page.Locator("#tokens")).ToContainTextAsync("Quarterly report script");

        await page.ClickButtonAsync("Revoke token Quarterly report script");
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("revoked");
        await audit.ScanAsync();
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await api.GetAsync("/api/v1/reviews")).StatusCode
        );

        audit.AssertClean();
    }
}
