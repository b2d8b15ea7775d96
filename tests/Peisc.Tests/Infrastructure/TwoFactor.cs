using System.Security.Cryptography;
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

    /// <summary>The current code of an authenticator app for a key shown to the user (RFC 6238: SHA-1, 30 s, 6 digits).</summary>
    public static string TotpCode(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32Decode(base32Key);
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }
        // RFC 6238 authenticator codes are defined on HMAC-SHA1, which is what Identity checks.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary =
            ((hash[offset] & 0x7f) << 24)
            | (hash[offset + 1] << 16)
            | (hash[offset + 2] << 8)
            | hash[offset + 3];
        return (binary % 1_000_000).ToString(
            "D6",
            System.Globalization.CultureInfo.InvariantCulture
        );
    }

    private static byte[] Base32Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = new string(
            text.ToUpperInvariant().Where(c => c != ' ' && c != '=' && c != '-').ToArray()
        );
        var bytes = new List<byte>();
        int buffer = 0,
            bits = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            Assert.True(value >= 0, $"'{c}' is not a base32 character");
            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return bytes.ToArray();
    }
}
