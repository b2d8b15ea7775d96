using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Peisc.Tests.Infrastructure;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>
/// A test that drives the real application, listening on a loopback port, from Chromium.
/// Each test starts its own app (a fresh database) and its own browser contexts (no shared cookies).
/// </summary>
[Collection(SharedBrowser.Name)]
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime, IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];
    private TestApp? _app;

    protected TestApp App =>
        _app ?? throw new InvalidOperationException("Call StartAppAsync first.");

    protected Uri BaseAddress { get; private set; } = default!;

    /// <summary>Starts the app on a real socket and opens a page on it.</summary>
    protected async Task<IPage> StartAppAsync(
        IDictionary<string, string?>? settings = null,
        Db provider = Db.Sqlite
    )
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("One app per test.");
        }
        _app = new TestApp(provider, settings, realServer: true);
        _app.StartServer();
        BaseAddress = ServerAddress(_app);
        return await NewPageAsync();
    }

    /// <summary>A page in a new browser context: a separate person, with no cookies.</summary>
    protected async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await fixture.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = BaseAddress.ToString(),
                Locale = "en-GB",
                TimezoneId = "Europe/London",
                ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            }
        );
        // Generous for a 2-core CI machine, but a missing element still fails in seconds, not minutes.
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs the user in over HTTP and hands the same cookies to the page, so a test can post
    /// through its own client and look at the results in Chromium as the same person.
    /// </summary>
    protected async Task<HttpClient> SignInClientAndPageAsync(IPage page, TestUser user)
    {
        var cookies = new System.Net.CookieContainer();
        var client = new HttpClient(
            new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                CookieContainer = cookies,
            }
        )
        {
            BaseAddress = BaseAddress,
        };
        await client.SignInAsync(user.Email);
        await page.Context.AddCookiesAsync(
            cookies
                .GetAllCookies()
                .Select(c => new Cookie
                {
                    Name = c.Name,
                    Value = c.Value,
                    Domain = BaseAddress.Host,
                    Path = c.Path,
                    HttpOnly = c.HttpOnly,
                    Secure = c.Secure,
                    SameSite = SameSiteAttribute.Lax,
                })
        );
        return client;
    }

    /// <summary>A page with no app behind it, for checks on hand-written HTML.</summary>
    protected async Task<IPage> NewBlankPageAsync()
    {
        var context = await fixture.Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private static Uri ServerAddress(TestApp app)
    {
        var addresses = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()
            ?.Addresses;
        var address = addresses?.FirstOrDefault() ?? app.ClientOptions.BaseAddress.ToString();
        var uri = new Uri(address);
        Assert.True(
            uri.Port is > 0 and not 80,
            $"The app did not report a real port (addresses: {string.Join(", ", addresses ?? [])})"
        );
        return uri;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 cleans up through IAsyncLifetime; IAsyncDisposable says the same to the analyzers.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        _contexts.Clear();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        GC.SuppressFinalize(this);
    }
}
