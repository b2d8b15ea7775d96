using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// Watches a Chromium context for anything a payload would do if it ran or if its markup were
/// parsed: dialogs (alert, confirm, prompt), requests to the marker paths that the payloads load,
/// CSP violations (recorded in the page by an init script, before any of the page's own code),
/// console errors and uncaught page errors.
/// </summary>
public sealed class XssWatch
{
    // Registered before the page's own scripts: every blocked inline script, handler, javascript:
    // URL or foreign load is counted here, even when the page navigates on.
    private const string InitScript = """
        window.__xssCsp = [];
        document.addEventListener("securitypolicyviolation", function (e) {
          window.__xssCsp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
        });
        """;

    private const string CollectText = """
        () => {
          const parts = [document.title, document.body ? document.body.textContent : ""];
          for (const field of document.querySelectorAll("input, textarea")) {
            parts.push(field.value);
          }
          return parts.join("\n");
        }
        """;

    private readonly ConcurrentQueue<string> _dialogs = new();
    private readonly ConcurrentQueue<string> _markers = new();
    private readonly ConcurrentQueue<string> _cspViolations = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly IPage _page;

    private XssWatch(IPage page) => _page = page;

    public IReadOnlyCollection<string> Dialogs => _dialogs;
    public IReadOnlyCollection<string> Markers => _markers;
    public IReadOnlyCollection<string> CspViolations => _cspViolations;
    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;
    public IReadOnlyCollection<string> PageErrors => _pageErrors;
    public int Rendered { get; private set; }
    public IPage Page => _page;

    /// <summary>What the watch saw, with the first twenty complaints.</summary>
    public void Report(Xunit.Abstractions.ITestOutputHelper output)
    {
        output.WriteLine(
            $"Dialogs: {Dialogs.Count}; marker requests: {Markers.Count}; CSP violations: {CspViolations.Count}; console errors: {ConsoleErrors.Count}; page errors: {PageErrors.Count}"
        );
        foreach (var line in CspViolations.Concat(ConsoleErrors).Concat(PageErrors).Take(20))
        {
            output.WriteLine("  " + line);
        }
    }

    /// <summary>trust.md I2's pass: no dialog, no marker request, no CSP violation, no script error.</summary>
    public void AssertNothingRan()
    {
        Assert.True(Dialogs.Count == 0, "Payloads ran: " + string.Join("\n", Dialogs.Take(20)));
        Assert.True(
            Markers.Count == 0,
            "Payload markup was parsed: " + string.Join("\n", Markers.Take(20))
        );
        Assert.True(
            CspViolations.Count == 0,
            "CSP blocked payloads, so their markup reached the page: "
                + string.Join("\n", CspViolations.Take(20))
        );
        Assert.True(PageErrors.Count == 0, string.Join("\n", PageErrors.Take(20)));
    }

    public static async Task<XssWatch> AttachAsync(IPage page)
    {
        var watch = new XssWatch(page);
        await page.Context.AddInitScriptAsync(InitScript);
        page.Dialog += async (_, dialog) =>
        {
            watch._dialogs.Enqueue($"{dialog.Type} \"{dialog.Message}\" at {page.Url}");
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                watch._consoleErrors.Enqueue($"{message.Type}: {message.Text} at {page.Url}");
            }
        };
        page.PageError += (_, error) => watch._pageErrors.Enqueue($"{error} at {page.Url}");
        page.Context.Request += (_, request) =>
        {
            if (IsMarker(new Uri(request.Url)))
            {
                watch._markers.Enqueue($"{request.Method} {request.Url} from {page.Url}");
            }
        };
        return watch;
    }

    // The payloads load /xss-marker/N, /xss-missing/N, or a bare "x" relative to the page: none of
    // these is ever a link of the app, so a request for one means a payload's markup was parsed.
    private static bool IsMarker(Uri url) =>
        url.AbsolutePath.Contains("/xss-", StringComparison.OrdinalIgnoreCase)
        || url.AbsolutePath.EndsWith("/x", StringComparison.Ordinal)
        || url.Scheme is "javascript" or "vbscript";

    /// <summary>Opens a page of the app and returns its text and field values, normalised.</summary>
    public async Task<string> RenderAsync(string path, int? status = 200)
    {
        var response = await _page.GotoAsync(path);
        Assert.NotNull(response);
        if (status is { } expected)
        {
            Assert.True(
                response.Status == expected,
                $"GET {path}: expected {expected}, got {response.Status} at {_page.Url}"
            );
        }
        return await SettleAsync();
    }

    /// <summary>
    /// Shows a response that the app gave to a request made outside the browser (a form posted
    /// over HTTP that came back with errors), at its own address and with its own headers, so
    /// the browser parses exactly what the app sent under the app's CSP.
    /// </summary>
    public async Task<string> RenderResponseAsync(Uri url, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        var headers = new Dictionary<string, string>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length"))
            {
                headers[name] = string.Join(", ", values);
            }
        }
        var target = url.GetLeftPart(UriPartial.Path) + "?xss-echo=" + Guid.NewGuid().ToString("N");
        await _page.RouteAsync(
            (Func<string, bool>)(u => u == target),
            route =>
                route.FulfillAsync(
                    new()
                    {
                        Status = (int)response.StatusCode,
                        Headers = headers,
                        BodyBytes = body,
                    }
                ),
            new() { Times = 1 }
        );
        await _page.GotoAsync(target);
        return await SettleAsync();
    }

    private async Task<string> SettleAsync()
    {
        Rendered++;
        // Handlers such as onload, onfocus and ontoggle fire in the first frames after load.
        await _page.WaitForLoadStateAsync(LoadState.Load);
        await _page.EvaluateAsync(
            "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"
        );
        foreach (
            var violation in await _page.EvaluateAsync<string[]>("() => window.__xssCsp || []")
        )
        {
            _cspViolations.Enqueue($"{violation} at {_page.Url}");
        }
        return XssPayloads.Normalise(await _page.EvaluateAsync<string>(CollectText));
    }
}
