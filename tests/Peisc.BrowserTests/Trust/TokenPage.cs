using Peisc.Tests.Infrastructure;

namespace Peisc.BrowserTests.Trust;

internal static class TokenPage
{
    /// <summary>Creates an access token on the tokens page, as a person would; returns the token it shows once.</summary>
    public static async Task<string> CreateAsync(HttpClient browser, string name)
    {
        var tokenPage = await browser.GetPageAsync("/account/tokens");
        var created = await Html.ToPageAsync(
            await browser.SubmitAsync(
                tokenPage,
                new Dictionary<string, string>
                {
                    ["Input.Name"] = name,
                    ["Input.LifetimeDays"] = tokenPage
                        .Find("#create-token input[name='Input.LifetimeDays']")!
                        .GetAttribute("value")!,
                },
                "#create-token"
            ),
            tokenPage.Url
        );
        return created.Find("#new-token")!.TextContent.Trim();
    }
}
