using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>trust.md X1: axe with the WCAG 2.x A and AA rules, and a check that the page is really styled.</summary>
public static class Axe
{
    public static readonly IReadOnlyList<string> Tags =
    [
        "wcag2a",
        "wcag2aa",
        "wcag21a",
        "wcag21aa",
        "wcag22aa",
    ];

    public static async Task<AxeResultItem[]> ViolationsAsync(this IPage page)
    {
        var result = await page.RunAxe(
            new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
            }
        );
        return result.Violations;
    }

    // The last page state each page passed in, so a journey step that lands on a page and then
    // checks its heading scans it once (a scan takes about a second here).
    private static readonly ConditionalWeakTable<IPage, string> LastPassed = new();

    /// <summary>Zero axe violations on the page as it is now, and our stylesheet applied.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var state = await page.EvaluateAsync<string>(
            """
            () => {
              const text = location.href + document.documentElement.outerHTML;
              let hash = 2166136261;
              for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
              return `${text.length}:${hash >>> 0}`;
            }
            """
        );
        if (LastPassed.TryGetValue(page, out var passed) && passed == state)
        {
            return;
        }
        var violations = await page.ViolationsAsync();
        Assert.True(violations.Length == 0, Describe(page.Url, violations));
        await page.AssertStyledAsync();
        LastPassed.AddOrUpdate(page, state);
    }

    /// <summary>
    /// axe passes an unstyled page, so check that the GOV.UK Frontend CSS really applied:
    /// the header has its brand background and the page heading uses our Arial font stack
    /// (GOV.UK Frontend sets fonts on its components, not on body).
    /// </summary>
    public static async Task AssertStyledAsync(this IPage page)
    {
        var style = await page.EvaluateAsync<string[]>(
            """
            () => {
              const header = document.querySelector('.govuk-generic-header');
              return [
                header ? getComputedStyle(header).backgroundColor : '',
                getComputedStyle(document.querySelector('h1') ?? document.body).fontFamily,
              ];
            }
            """
        );
        var (background, font) = (style[0], style[1]);
        Assert.False(
            string.IsNullOrEmpty(background) || background is "transparent" or "rgba(0, 0, 0, 0)",
            $"{page.Url}: the header has no background colour ('{background}'): did the stylesheet load?"
        );
        Assert.True(
            font.Contains("arial", StringComparison.OrdinalIgnoreCase),
            $"{page.Url}: the heading font is '{font}', not our Arial stack: did the stylesheet load? (header background '{background}')"
        );
    }

    public static string Describe(string url, IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder($"axe found accessibility violations on {url}:");
        foreach (var v in violations)
        {
            text.Append(
                CultureInfo.InvariantCulture,
                $"\n- {v.Id} ({v.Impact}): {v.Help} {v.HelpUrl}"
            );
            foreach (var node in v.Nodes)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n    at {node.Target}: {node.Html}");
                foreach (var check in node.Any.Concat(node.All).Concat(node.None))
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n       {check.Message}");
                }
            }
        }
        return text.ToString();
    }
}
