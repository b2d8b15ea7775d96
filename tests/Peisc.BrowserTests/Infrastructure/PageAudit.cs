using Microsoft.Playwright;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>Scans many pages and reports every failure at the end, so one run shows all of them.</summary>
public sealed class PageAudit(IPage page)
{
    private readonly List<string> _failures = [];

    public int Scanned { get; private set; }

    public async Task VisitAsync(string path, int status = 200)
    {
        var response = await page.GotoAsync(path);
        if (response?.Status != status)
        {
            _failures.Add($"GET {path}: expected {status}, got {response?.Status} at {page.Url}");
        }
        await ScanAsync();
    }

    /// <summary>Scans the page as it is now (after a form was submitted, say).</summary>
    public async Task ScanAsync()
    {
        Scanned++;
        try
        {
            await page.AssertAccessibleAsync();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            _failures.Add(e.Message);
        }
    }

    public void AssertClean() =>
        Assert.True(
            _failures.Count == 0,
            $"{_failures.Count} of {Scanned} pages failed:\n\n" + string.Join("\n\n", _failures)
        );
}
