using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;

namespace Peisc.BrowserTests.Trust;

public static class AxeScan
{
    /// <summary>
    /// axe with the same WCAG tags as Axe.ViolationsAsync, asking only for violations back: the
    /// passing nodes are not sent over from the browser, which makes a scan of a long page faster.
    /// </summary>
    public static async Task<AxeResultItem[]> ViolationsOnlyAsync(this IPage page)
    {
        var result = await page.RunAxe(
            new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Axe.Tags] },
                ResultTypes = [ResultType.Violations],
            }
        );
        return result.Violations;
    }
}
