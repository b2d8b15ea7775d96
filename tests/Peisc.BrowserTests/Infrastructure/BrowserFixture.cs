using Microsoft.Playwright;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole run; every test gets its own app and browser context.
/// Playwright drives it through the node driver shipped in its package: never `playwright install`.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Flags that let Chromium run as root in CI without a GPU, a sandbox or network side-traffic.
    private static readonly string[] Args =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser =>
        _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        Assert.True(
            File.Exists(ChromiumPath),
            $"{ChromiumPath} is missing: apt-get install -y --no-install-recommends chromium fonts-liberation"
        );
        // Expectations wait up to 15 s (Playwright's default is 5): a 2-core CI machine hashing
        // passwords and starting apps can be slow, and a passing step returns as soon as it passes.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Args,
            }
        );
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

// Tests share one browser and run one at a time: the machine has 2 cores, and a journey that
// competes for CPU with three others is where timing flakiness comes from.
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
