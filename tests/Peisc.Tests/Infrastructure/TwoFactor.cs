using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Data;

namespace Peisc.Tests.Infrastructure;

/// <summary>Two-factor sign-in for test users: recovery codes to sign in with, TOTP codes to set it up.</summary>
public static class TwoFactor
{
    /// <summary>Turns two-factor sign-in on for a user, as if they had set it up; returns their recovery codes.</summary>
    public static async Task<IReadOnlyList<string>> EnableTwoFactorAsync(
        this TestApp app,
        TestUser user
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var appUser = await users.FindByIdAsync(user.Id.ToString());
        Assert.NotNull(appUser);
        await users.ResetAuthenticatorKeyAsync(appUser);
        await users.SetTwoFactorEnabledAsync(appUser, true);
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(appUser, 10))!.ToList();
    }

    /// <summary>Signs in with password, then with a recovery code on the two-factor page.</summary>
    public static async Task<HttpClient> SignedInWithTwoFactorAsync(
        this TestApp app,
        TestUser user,
        string recoveryCode
    )
    {
        var client = app.Browser();
        var signIn = await client.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(
            signIn,
            new Dictionary<string, string>
            {
                ["Input.Email"] = user.Email,
                ["Input.Password"] = TestApp.Password,
            }
        );
        var codePage = await client.FollowAsync(response, signIn.Url);
        Assert.Equal("/account/sign-in/two-factor", codePage.Url.AbsolutePath);
        var done = await client.SubmitAsync(
            codePage,
            new Dictionary<string, string> { ["Input.Code"] = recoveryCode }
        );
        Assert.True(
            done.StatusCode == System.Net.HttpStatusCode.Redirect,
            $"Two-factor sign-in as {user.Email} failed: {(int)done.StatusCode}"
        );
        return client;
    }

    /// <summary>Opens the two-factor page ready to scan: starts set-up first if no key exists yet.</summary>
    public static async Task<Page> OpenTwoFactorSetUpAsync(this HttpClient client)
    {
        var page = await client.GetPageAsync("/account/two-factor");
        if (
            page.Find("#authenticator-key") is null
            && page.Find("form[action*='Start']") is not null
        )
        {
            page = await client.SubmitAndFollowAsync(page, formSelector: "form[action*='Start']");
        }
        return page;
    }
}
