using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Peisc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md I3 over the whole app: every discovered endpoint, anonymous, signed in and with an API
/// token; successes, redirects, 4xx and error pages; static files; downloads; problem details.
/// Through Kestrel on a loopback socket, so a Server banner would show.
/// </summary>
public sealed class HeaderWalkTests(ITestOutputHelper output)
{
    private enum Who
    {
        Anonymous,
        Owner,
        Token,
    }

    private sealed record Seen(Who Who, string Request, HttpResponseMessage Response, bool Static);

    [Theory, BothDatabases]
    public async Task EveryResponse_AnyEndpointAnyoneAnyOutcome_CarriesTheSecurityHeaders(Db db)
    {
        await using var app = new TestApp(db, realServer: true);
        // Started first: with Kestrel, the factory's clients reach the app only once it listens.
        app.StartServer();
        var server = app.ServerAddress();
        var site = await TrustSite.CreateAsync(app, server);
        var jar = new CookieContainer();
        using var ownerHandler = new HttpClientHandler
        {
            CookieContainer = jar,
            AllowAutoRedirect = false,
        };
        using var owner = new HttpClient(ownerHandler) { BaseAddress = server };
        await owner.SignInAsync(site.Org.Owner.Email);
        var token = (await owner.GetPageAsync("/account/tokens")).AntiforgeryToken!;
        using var anonymousHandler = new HttpClientHandler { AllowAutoRedirect = false };
        using var anonymous = new HttpClient(anonymousHandler) { BaseAddress = server };
        using var apiHandler = new HttpClientHandler { AllowAutoRedirect = false };
        using var api = new HttpClient(apiHandler) { BaseAddress = server };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            site.OwnerToken
        );
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = anonymous,
            [Who.Owner] = owner,
            [Who.Token] = api,
        };

        var seen = new List<Seen>();
        async Task SendAsync(Who who, HttpMethod method, string url, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = content };
            var response = await clients[who].SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            seen.Add(new Seen(who, $"{who} {method} {url}", response, false));
        }

        // Sign-out and destructive handlers are left out: they would end the walk's own session.
        foreach (
            var target in site.Targets.Where(t =>
                !t.Path.StartsWith("/account/sign-out", StringComparison.Ordinal)
            )
        )
        {
            foreach (var who in clients.Keys)
            {
                if (target.Method == "GET")
                {
                    await SendAsync(who, HttpMethod.Get, target.Url);
                }
                else if (target.IsPage)
                {
                    // Without its antiforgery token: 400 for the owner, sign in for anyone else.
                    await SendAsync(
                        who,
                        HttpMethod.Post,
                        target.Url,
                        new FormUrlEncodedContent([new("x", "y")])
                    );
                }
                else
                {
                    // A body that is not JSON: 400/415 problem details, or 401 without a token.
                    await SendAsync(
                        who,
                        new HttpMethod(target.Method),
                        target.Url,
                        new StringContent("{", System.Text.Encoding.UTF8, "application/json")
                    );
                }
            }
            // 404 for an id that is nobody's, 405 for a method no one answers.
            if (target.Template.Contains("{id", StringComparison.Ordinal))
            {
                var other = target.Url.Replace(
                    site.ReviewId.ToString(),
                    Guid.NewGuid().ToString(),
                    StringComparison.Ordinal
                );
                await SendAsync(target.IsApi ? Who.Token : Who.Owner, HttpMethod.Get, other);
            }
            await SendAsync(target.IsApi ? Who.Token : Who.Owner, HttpMethod.Delete, target.Path);
        }
        // Pages a form leads to after a valid post: a redirect and the page it leads to.
        var tokens = await owner.GetPageAsync("/account/tokens");
        var created = await owner.SubmitAsync(
            tokens,
            new Dictionary<string, string> { ["Input.Name"] = "Header walk" }
        );
        seen.Add(new Seen(Who.Owner, "Owner POST /account/tokens (valid)", created, false));
        foreach (var url in new[] { "/error/500", "/error/400", "/error/403", "/no/such/page" })
        {
            await SendAsync(Who.Anonymous, HttpMethod.Get, url);
            await SendAsync(Who.Owner, HttpMethod.Get, url);
        }
        await SendAsync(Who.Token, HttpMethod.Get, $"/api/v1/reviews/{Guid.NewGuid()}");
        await SendAsync(Who.Anonymous, HttpMethod.Get, "/api/v1/reviews");

        // Every file the site serves from wwwroot.
        var files = app.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        foreach (var path in StaticFiles(files, ""))
        {
            var response = await anonymous.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.Add(new Seen(Who.Anonymous, $"static {path}", response, true));
        }

        var failures = seen.SelectMany(Problems).ToList();
        var histogram = seen.GroupBy(s => (int)s.Response.StatusCode)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine(
            $"{seen.Count} responses from {site.Targets.Count} targets ({string.Join(", ", histogram)})"
        );
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(50)));
        // Each kind of outcome was walked, not only successes.
        foreach (var status in new[] { 200, 302, 400, 401, 404, 405 })
        {
            Assert.Contains(seen, s => (int)s.Response.StatusCode == status);
        }
        Assert.Contains(
            seen,
            s =>
                s.Request.Contains("/exports/", StringComparison.Ordinal)
                && s.Response.StatusCode == HttpStatusCode.OK
                && s.Who == Who.Token
        );
        Assert.Contains(
            seen,
            s =>
                s.Request.Contains("/exports/", StringComparison.Ordinal)
                && s.Response.StatusCode == HttpStatusCode.OK
                && s.Who == Who.Owner
        );
    }

    /// <summary>HSTS on every endpoint's response over HTTPS, anonymous and with a token.</summary>
    [Theory, BothDatabases]
    public async Task EveryResponse_OverHttps_SendsStrictTransportSecurity(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?>
            {
                ["Security:RequireHttps"] = "true",
                ["AllowedHosts"] = "peisc.example;localhost",
            }
        );
        var site = await TrustSite.CreateAsync(app, new Uri("https://localhost"));
        var options = new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            // ASP.NET Core never sends HSTS to localhost, so ask as the host the service would have.
            BaseAddress = new Uri("https://peisc.example"),
        };
        var anonymous = app.CreateClient(options);
        var api = app.CreateClient(options);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            site.OwnerToken
        );
        var failures = new List<string>();
        var count = 0;

        foreach (var target in site.Targets)
        {
            foreach (var client in new[] { anonymous, api })
            {
                using var request = new HttpRequestMessage(
                    new HttpMethod(target.Method),
                    target.Url
                );
                var response = await client.SendAsync(request);
                count++;
                if (
                    !response.Headers.TryGetValues("Strict-Transport-Security", out var values)
                    || !values.Single().Contains("max-age=", StringComparison.Ordinal)
                    || values.Single().Contains("max-age=0", StringComparison.Ordinal)
                )
                {
                    failures.Add($"{target} → {(int)response.StatusCode}: no HSTS");
                }
            }
        }

        output.WriteLine($"{count} responses over HTTPS");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(50)));
    }

    private static IEnumerable<string> StaticFiles(IFileProvider files, string folder)
    {
        foreach (var entry in files.GetDirectoryContents(folder))
        {
            var path = folder + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                foreach (var inner in StaticFiles(files, path))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> Problems(Seen seen)
    {
        var response = seen.Response;
        var where = $"{seen.Request} → {(int)response.StatusCode}";
        if (!response.Headers.TryGetValues("Content-Security-Policy", out var values))
        {
            yield return $"{where}: no Content-Security-Policy";
            yield break;
        }
        var csp = string.Join(';', values)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(parts => parts[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1..]);
        var script = csp.GetValueOrDefault("script-src") ?? csp.GetValueOrDefault("default-src");
        if (
            script is null
            || script.Contains("'unsafe-inline'")
            || script.Contains("'unsafe-eval'")
        )
        {
            yield return $"{where}: script-src is {string.Join(' ', script ?? [])}";
        }
        foreach (var directive in new[] { "object-src", "base-uri", "frame-ancestors" })
        {
            if (!csp.TryGetValue(directive, out var value) || value is not ["'none'"])
            {
                yield return $"{where}: {directive} is not 'none'";
            }
        }
        if (
            !response.Headers.TryGetValues("X-Content-Type-Options", out var sniff)
            || sniff.Single() != "nosniff"
        )
        {
            yield return $"{where}: no X-Content-Type-Options: nosniff";
        }
        if (!response.Headers.Contains("Referrer-Policy"))
        {
            yield return $"{where}: no Referrer-Policy";
        }
        if (response.Headers.Contains("Server"))
        {
            yield return $"{where}: Server: {string.Join(' ', response.Headers.GetValues("Server"))}";
        }
        if (response.Headers.Contains("X-Powered-By"))
        {
            yield return $"{where}: X-Powered-By";
        }
        // Signed-in pages (the API takes no cookie: it answers a browser 401), and whatever an
        // access token got back that holds the organisation's data.
        var api = seen.Request.Contains(" /api/", StringComparison.Ordinal);
        var privateData =
            (seen.Who == Who.Owner && !api)
            || (
                seen.Who == Who.Token
                && response.IsSuccessStatusCode
                && (
                    seen.Request.Contains("/api/v1/reviews", StringComparison.Ordinal)
                    || seen.Request.Contains("/api/v1/exports", StringComparison.Ordinal)
                )
                && !seen.Request.Contains("/api/v1/reviews/schema", StringComparison.Ordinal)
            );
        if (!seen.Static && privateData && response.Headers.CacheControl?.NoStore != true)
        {
            yield return $"{where}: Cache-Control is '{response.Headers.CacheControl}', not no-store";
        }
    }
}
