using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

public sealed class SignInJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task SignIn_OwnerWithTwoFactor_AsksForSecurityCodeAndRefusesWrongOne()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        var owner = organisation.Owner;

        // The owner turns on two-factor sign-in from "Your account".
        await page.SignInAsync(owner.Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        await page.ExpectHeadingAsync(organisation.Name);
        await page.ClickLinkAsync("Your account");
        await page.ExpectHeadingAsync("Two-factor sign-in");
        var key = await page.AuthenticatorKeyAsync();
        await page.FillFieldAsync("Security code", Totp.Code(key));
        await page.ClickButtonAsync("Turn on two-factor sign-in");
        await Expect(page.Locator(".govuk-panel__title"))
            .ToHaveTextAsync("Two-factor sign-in is on");

        await page.SignOutAsync();
        // Signed out means signed out: the organisation page now asks for sign-in.
        await page.GotoAsync("/organisation");
        await page.ExpectPathAsync("/account/sign-in");

        await page.SignInAsync(owner.Email, TestApp.Password);
        await page.ExpectPathAsync("/account/sign-in/two-factor");
        await page.ExpectHeadingAsync("Enter your security code");

        await page.FillFieldAsync("Security code", Totp.WrongCode(key));
        await page.ClickButtonAsync("Continue");
        Assert.Equal(
            ["The security code is not correct: check your authenticator app and try again"],
            await page.ErrorSummaryAsync()
        );
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await page.AssertAccessibleAsync();
        await page.ClickLinkAsync(
            "The security code is not correct: check your authenticator app and try again"
        );
        await Expect(page.GetByLabel("Security code", new() { Exact = true })).ToBeFocusedAsync();

        await page.FillFieldAsync("Security code", Totp.Code(key));
        await page.ClickButtonAsync("Continue");
        await page.ExpectPathAsync("/organisation");
        await page.ExpectHeadingAsync(organisation.Name);
        await Expect(page.Locator("#your-role")).ToHaveTextAsync("Owner");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheSameErrorAsAnUnknownEmail()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Viewer);

        await page.SignInAsync(organisation[MemberRole.Viewer].Email, "not the right password");
        var wrongPassword = await page.ErrorSummaryAsync();
        await page.AssertAccessibleAsync();
        await Expect(page.GetByLabel("Email address", new() { Exact = true }))
            .ToHaveValueAsync(organisation[MemberRole.Viewer].Email);

        await page.SignInAsync("nobody@example.org", "not the right password");
        var unknownEmail = await page.ErrorSummaryAsync();

        Assert.Single(wrongPassword);
        Assert.StartsWith("Enter a correct email address and password", wrongPassword[0]);
        Assert.Equal(wrongPassword, unknownEmail);
    }
}
