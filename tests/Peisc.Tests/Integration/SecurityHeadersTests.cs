using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Peisc.Tests.Infrastructure;

namespace Peisc.Tests.Integration;

/// <summary>trust.md I3 (headers on every response) and S4 (cookies).</summary>
public sealed class SecurityHeadersTests
{
    // Public pages, API responses, 404s of each and a redirect: each kind of response the app sends.
    private static readonly string[] Samples =
    [
        "/",
        "/framework",
        "/api/v1/frameworks",
        "/api/v1/frameworks/nope",
        "/framework/nope/process",
        "/organisation",
    ];

    [Theory, BothDatabases]
    public async Task Responses_OfEveryKind_CarryAStrictContentSecurityPolicy(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();
        var client = app.Browser();

        foreach (var url in Samples)
        {
            var response = await client.GetAsync(url);

            var csp = Directives(response);
            var scriptSrc = csp.GetValueOrDefault("script-src") ?? csp["default-src"];
            Assert.Contains("'self'", scriptSrc);
            Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
            Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
            Assert.Equal(["'none'"], csp["object-src"]);
            Assert.Equal(["'none'"], csp["base-uri"]);
            Assert.Equal(["'none'"], csp["frame-ancestors"]);
        }
    }

    [Theory, BothDatabases]
    public async Task Responses_OfEveryKind_ForbidSniffingAndLimitTheReferrer(Db db)
    {
        await using var app = new TestApp(db, realServer: true);
        await app.CreateOrganisationAsync();
        using var client = RealServerClient(app);

        foreach (var url in Samples)
        {
            var response = await client.GetAsync(url);

            Assert.Equal(
                "nosniff",
                Assert.Single(response.Headers.GetValues("X-Content-Type-Options"))
            );
            Assert.True(
                response.Headers.Contains("Referrer-Policy"),
                $"No Referrer-Policy on {url}"
            );
            // A real socket: Kestrel would announce itself here unless told not to.
            Assert.False(response.Headers.Contains("Server"), $"Server header on {url}");
            Assert.False(response.Headers.Contains("X-Powered-By"), $"X-Powered-By on {url}");
        }
    }

    [Theory, BothDatabases]
    public async Task Pages_AnonymousAndSignedIn_HaveNoInlineScript(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var anonymous = app.Browser();
        var owner = await app.SignedInAsync(organisation.Owner);

        var pages = new List<Page>
        {
            await anonymous.GetPageAsync("/"),
            await anonymous.GetPageAsync("/framework"),
            await anonymous.GetPageAsync("/account/sign-in"),
            await anonymous.GetPageAsync("/framework/nope/process", HttpStatusCode.NotFound),
            await owner.GetPageAsync("/organisation/nope", HttpStatusCode.NotFound),
            await owner.GetPageAsync("/organisation"),
            await owner.GetPageAsync("/organisation/settings"),
            await owner.GetPageAsync("/organisation/members"),
            await owner.GetPageAsync("/organisation/editions"),
            await owner.GetPageAsync("/account/two-factor"),
        };

        foreach (var page in pages)
        {
            var scripts = page.Document.QuerySelectorAll("script").ToList();
            Assert.NotEmpty(scripts);
            Assert.All(
                scripts,
                s =>
                    Assert.True(
                        !string.IsNullOrEmpty(s.GetAttribute("src"))
                            && string.IsNullOrWhiteSpace(s.TextContent),
                        $"Inline script on {page.Url}: {s.OuterHtml}"
                    )
            );
            Assert.Empty(page.FindAll("[onclick], [onload], [onerror], [onsubmit]"));
        }
    }

    [Theory, BothDatabases]
    public async Task SignedInPages_AnyRole_AreNeverCached(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();

        foreach (var member in organisation.Members.Values)
        {
            var client = await app.SignedInAsync(member);
            foreach (var url in new[] { "/organisation", "/organisation/members", "/framework" })
            {
                var response = await client.GetAsync(url);

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True(
                    response.Headers.CacheControl?.NoStore == true,
                    $"{url} as {member.Role}: Cache-Control is '{response.Headers.CacheControl}'"
                );
            }
        }
    }

    [Theory, BothDatabases]
    public async Task PublicPages_Anonymous_AreNotMarkedNoStore(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();
        var client = app.Browser();

        foreach (var url in new[] { "/", "/framework", "/framework/stages" })
        {
            var response = await client.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(
                response.Headers.CacheControl?.NoStore == true,
                $"{url}: Cache-Control is '{response.Headers.CacheControl}'"
            );
        }
    }

    [Theory, BothDatabases]
    public async Task SignIn_OverPlainHttpOnLocalhost_SetsHttpOnlySameSiteLaxCookie(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = app.Browser();

        var cookies = await SignInCookiesAsync(client, organisation.Owner.Email);

        var session = Assert.Single(cookies, c => c.Name == "peisc");
        Assert.True(session.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, session.SameSite);
        Assert.Equal("/", session.Path.Value);
        Assert.All(cookies, c => Assert.True(c.HttpOnly, $"{c.Name} is not HttpOnly"));
        Assert.All(
            cookies,
            c => Assert.NotEqual(Microsoft.Net.Http.Headers.SameSiteMode.Unspecified, c.SameSite)
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_OverHttps_SetsSecureHostPrefixedCookies(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?> { ["Security:RequireHttps"] = "true" }
        );
        var organisation = await app.CreateOrganisationAsync();
        var client = HttpsBrowser(app, "https://localhost");

        var cookies = await SignInCookiesAsync(client, organisation.Owner.Email);

        Assert.Contains(cookies, c => c.Name == "__Host-peisc");
        Assert.All(
            cookies,
            c =>
            {
                Assert.StartsWith("__Host-", c.Name.Value, StringComparison.Ordinal);
                Assert.True(c.Secure, $"{c.Name} is not Secure");
                Assert.True(c.HttpOnly, $"{c.Name} is not HttpOnly");
                Assert.Equal("/", c.Path.Value);
                Assert.True(c.Domain.Value is null, $"{c.Name} names a domain");
            }
        );
    }

    [Theory, BothDatabases]
    public async Task Responses_OverHttps_SendStrictTransportSecurity(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?>
            {
                ["Security:RequireHttps"] = "true",
                ["AllowedHosts"] = "peisc.example",
            }
        );
        await app.CreateOrganisationAsync();
        // ASP.NET Core never sends HSTS to localhost, so ask as the host the service would have.
        var client = HttpsBrowser(app, "https://peisc.example");

        foreach (var url in Samples)
        {
            var response = await client.GetAsync(url);

            var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
            var maxAge = hsts.Split(';')
                .Select(p => p.Trim())
                .Single(p => p.StartsWith("max-age=", StringComparison.Ordinal));
            Assert.True(
                long.Parse(
                    maxAge["max-age=".Length..],
                    System.Globalization.CultureInfo.InvariantCulture
                ) > 0,
                hsts
            );
        }
    }

    // The factory's own clients talk to its in-memory server; this one goes through Kestrel's socket.
    private static HttpClient RealServerClient(TestApp app)
    {
        app.StartServer();
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.First();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(address),
        };
    }

    private static HttpClient HttpsBrowser(TestApp app, string baseAddress) =>
        app.CreateClient(
            new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false,
                HandleCookies = true,
                BaseAddress = new Uri(baseAddress),
            }
        );

    // Every cookie set while a person opens the sign-in page and signs in.
    private static async Task<List<SetCookieHeaderValue>> SignInCookiesAsync(
        HttpClient client,
        string email
    )
    {
        var page = await client.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = TestApp.Password,
            }
        );
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return SetCookies(page.Response).Concat(SetCookies(response)).ToList();
    }

    private static IEnumerable<SetCookieHeaderValue> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? SetCookieHeaderValue.ParseList(values.ToList())
            : [];

    private static Dictionary<string, string[]> Directives(HttpResponseMessage response)
    {
        Assert.True(
            response.Headers.TryGetValues("Content-Security-Policy", out var values),
            $"No Content-Security-Policy on {response.RequestMessage?.RequestUri}"
        );
        return string.Join(';', values)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(parts => parts[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1..]);
    }
}
