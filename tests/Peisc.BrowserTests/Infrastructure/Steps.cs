using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>Journeys written as a person's steps, finding things by their role and accessible name.</summary>
public static class Steps
{
    /// <summary>Goes to a page, checks the response, then runs axe on it (every page a journey visits is scanned).</summary>
    public static async Task GoToAsync(this IPage page, string path, int status = 200)
    {
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.True(
            response.Status == status,
            $"GET {path}: expected {status}, got {response.Status} at {page.Url}"
        );
        await page.AssertAccessibleAsync();
    }

    public static Task ClickLinkAsync(this IPage page, string name) =>
        page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();

    public static Task ClickButtonAsync(this IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    public static Task FillFieldAsync(this IPage page, string label, string value) =>
        page.GetByLabel(label, new() { Exact = true }).FillAsync(value);

    public static Task CheckRadioAsync(this IPage page, string label) =>
        page.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true }).CheckAsync();

    /// <summary>A link in the header's service navigation ("Reviews", "Your account").</summary>
    public static Task ClickHeaderLinkAsync(this IPage page, string name) =>
        page.GetByRole(AriaRole.Banner)
            .GetByRole(AriaRole.Link, new() { Name = name, Exact = true })
            .ClickAsync();

    public static Task CheckBoxAsync(this IPage page, string label) =>
        page.GetByRole(AriaRole.Checkbox, new() { Name = label, Exact = true }).CheckAsync();

    // The same steps inside one part of a page, where labels repeat (each item of a cell has
    // its own "Reasoning" and "Concern").
    public static Task FillFieldAsync(this ILocator scope, string label, string value) =>
        scope.GetByLabel(label, new() { Exact = true }).FillAsync(value);

    public static Task CheckRadioAsync(this ILocator scope, string label) =>
        scope.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true }).CheckAsync();

    public static Task CheckBoxAsync(this ILocator scope, string label) =>
        scope.GetByRole(AriaRole.Checkbox, new() { Name = label, Exact = true }).CheckAsync();

    /// <summary>Item <paramref name="number"/> of a review's cell page, found by its "Item N of M" heading.</summary>
    public static ILocator Item(this IPage page, int number) =>
        page.Locator(".app-item")
            .Filter(
                new()
                {
                    Has = page.GetByRole(AriaRole.Heading, new() { Level = 3 })
                        .Filter(new() { HasTextRegex = new($"^Item {number} of \\d+") }),
                }
            );

    /// <summary>Waits for the page with this heading, then scans it.</summary>
    public static async Task ExpectHeadingAsync(this IPage page, string heading)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
            .ToHaveTextAsync(heading);
        await page.AssertAccessibleAsync();
    }

    public static async Task ExpectPathAsync(this IPage page, string path) =>
        await Expect(page)
            .ToHaveURLAsync(new Regex("^https?://[^/]+" + Regex.Escape(path) + "([?#].*)?$"));

    /// <summary>The GOV.UK error summary's messages, once it is shown.</summary>
    public static async Task<IReadOnlyList<string>> ErrorSummaryAsync(this IPage page)
    {
        var summary = page.Locator(".govuk-error-summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        var items = await summary.Locator(".govuk-error-summary__list li").AllInnerTextsAsync();
        return items.Select(i => i.Trim()).ToList();
    }

    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GoToAsync("/account/sign-in");
        await page.FillFieldAsync("Email address", email);
        await page.FillFieldAsync("Password", password);
        await page.ClickButtonAsync("Sign in");
    }

    /// <summary>The header's "Sign out" button, then the signed-out page.</summary>
    public static async Task SignOutAsync(this IPage page)
    {
        await page.GetByRole(AriaRole.Banner)
            .GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })
            .ClickAsync();
        await page.ExpectPathAsync("/account/signed-out");
        await page.ExpectHeadingAsync("You have signed out");
    }

    /// <summary>
    /// The authenticator key on the two-factor page, as a person would type it into their app;
    /// starts set-up first if the page is not showing a key yet.
    /// </summary>
    public static async Task<string> AuthenticatorKeyAsync(this IPage page)
    {
        var start = page.GetByRole(
            AriaRole.Button,
            new() { Name = "Set up two-factor sign-in", Exact = true }
        );
        if (await start.CountAsync() > 0)
        {
            await start.ClickAsync();
        }
        return (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(
            " ",
            "",
            StringComparison.Ordinal
        );
    }
}
