using Microsoft.Playwright;

namespace Peisc.BrowserTests.Infrastructure;

public static class Reflow
{
    /// <summary>The document is no wider than the viewport (wide tables may scroll inside their own region).</summary>
    public static async Task AssertNoSidewaysScrollAsync(this IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]"
        );
        var (scrollWidth, viewport) = (widths[0], widths[2]);
        if (scrollWidth <= viewport)
        {
            return;
        }
        var culprits = await page.EvaluateAsync<string[]>(
            """
            () => {
              const over = el => el.getBoundingClientRect().right > window.innerWidth + 1
                || (getComputedStyle(el).overflowX === 'visible'
                    && el.getBoundingClientRect().left + el.scrollWidth > window.innerWidth + 1);
              return [...document.querySelectorAll('body *')]
                .filter(over)
                .filter(el => ![...el.children].some(over))
              .slice(0, 10)
                .map(el => `${el.outerHTML.slice(0, 160)} (right edge ${Math.round(el.getBoundingClientRect().right)}px, content ${el.scrollWidth}px wide)`);
            }
            """
        );
        Assert.Fail(
            $"{page.Url}: the page is {scrollWidth}px wide in a {viewport}px viewport, so it scrolls sideways. Widest elements:\n  "
                + string.Join("\n  ", culprits)
        );
    }
}
