using System.Diagnostics;
using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md A1, A2 and A6 over every endpoint EndpointDataSource knows, so that an endpoint added
/// later is covered without editing these tests.
/// </summary>
public sealed class AccessMatrixTests(ITestOutputHelper output)
{
    private static readonly MemberRole[] Roles =
    [
        MemberRole.Owner,
        MemberRole.Facilitator,
        MemberRole.Contributor,
        MemberRole.Viewer,
    ];

    // trust.md A1: what anyone may call without signing in, each with the reason.
    private static readonly Dictionary<string, string> Public = new()
    {
        ["GET /"] = "the start page",
        ["GET /accessibility"] = "the accessibility statement",
        ["GET /privacy"] = "the privacy notice",
        ["GET /framework"] = "the published framework",
        ["GET /framework/stages"] = "the published framework",
        ["GET /framework/print"] = "the published framework",
        ["GET /framework/{sectionId}/{domainId}"] = "the published framework",
        ["GET /api/v1/frameworks/"] = "the published framework, for programs",
        ["GET /api/v1/frameworks/schema"] = "the framework file format",
        ["GET /api/v1/frameworks/{id}"] = "the published framework, for programs",
        ["GET /api/v1/reviews/schema"] = "the review file format",
        ["GET /openapi/{documentName}.json"] = "the API's description",
        ["GET /health"] = "the load balancer's check; says nothing but healthy",
        ["GET /error/{code:int?}"] = "error pages are shown to everyone",
        ["GET /{*path}"] = "the not-found page",
        ["GET /setup"] = "first run only: once an owner exists it sends people to sign in",
        ["POST /setup"] = "first run only: refused once an owner exists",
        ["GET /account/sign-in"] = "signing in",
        ["POST /account/sign-in"] = "signing in",
        ["GET /account/sign-in/two-factor"] = "the second step of signing in",
        ["POST /account/sign-in/two-factor"] = "the second step of signing in",
        ["GET /account/sign-out"] = "signing out asks nothing of someone already out",
        ["POST /account/sign-out"] = "signing out asks nothing of someone already out",
        ["GET /account/signed-out"] = "the page after signing out",
        ["GET /invitations/{token}"] = "the emailed invitation: the token is the credential",
        ["POST /invitations/{token}"] = "accepting an invitation: the token is the credential",
        ["GET /voices/{token}"] =
            "a lived-experience link: the token is the credential, no account",
        ["POST /voices/{token}"] = "answering through a lived-experience link",
        ["GET /join"] = "a workshop guest types the join code here, with no account",
        ["POST /join"] = "a workshop guest types the join code here, with no account",
        ["POST /health"] = "the health check answers any verb and writes nothing",
        ["POST /error/{code:int?}"] = "an error page, shown for any verb",
        ["POST /{*path}"] = "the not-found page, for any verb",
    };

    [Theory, BothDatabases]
    public async Task EveryEndpointAndVerb_Anonymous_AsksForSignInUnlessOnTheAllowlist(Db db)
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var calls = TrustEndpoints.Discover(app);
        Assert.True(calls.Count > 100, $"Only {calls.Count} endpoint calls found.");
        Assert.Contains(calls, c => c.Pattern == "/workshops/hub/negotiate");
        var anonymous = app.Browser();
        var token = (await anonymous.GetPageAsync("/account/sign-in")).AntiforgeryToken;

        var failures = new List<string>();
        foreach (var call in calls)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            var response = await anonymous.SendAsync(
                TrustEndpoints.Request(call.Verb, url, TrustEndpoints.Body(call, token))
            );
            var asked = TrustEndpoints.AskedToSignIn(response);
            var key = $"{call.Verb} {call.Pattern}";
            if (Public.ContainsKey(key))
            {
                if (asked)
                {
                    failures.Add($"{call.Key} is on the allowlist but asked for sign-in");
                }
            }
            else if (!asked || (call.IsApi && response.StatusCode != HttpStatusCode.Unauthorized))
            {
                failures.Add(
                    $"{call.Key} answered {TrustEndpoints.Describe(response)} to an anonymous request"
                );
            }
        }
        var unused = Public.Keys.Where(k => !calls.Any(c => $"{c.Verb} {c.Pattern}" == k));
        failures.AddRange(unused.Select(k => $"{k} is on the allowlist but no longer mapped"));
        output.WriteLine(
            $"{calls.Count} endpoint calls ({calls.Select(c => c.Pattern).Distinct().Count()} routes) requested anonymously; {Public.Count} allowlisted"
        );
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory, BothDatabases]
    public async Task OtherOrganisationsIds_EveryRoleRouteAndVerb_AnswerNotFoundLeakNothingChangeNothing(
        Db db
    )
    {
        var clock = Stopwatch.StartNew();
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var b = await TrustData.SeedAsync(app, "Beta");
        await TrustData.PlantCanariesAsync(app, b.Organisation.Id);
        var before = await TrustData.SnapshotAsync(app, b.Organisation.Id);
        var calls = TrustEndpoints.Discover(app);
        var withIds = calls.Where(TrustEndpoints.CarriesId).ToList();
        var reads = calls
            .Where(c =>
                !c.ChangesState
                && !c.Pattern.StartsWith("/workshops/hub", StringComparison.Ordinal)
                // A PDF is the Word file of the same name run through LibreOffice (seconds each): the Word file is searched.
                && !c.Pattern.EndsWith(".pdf", StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(withIds.Count > 40, $"Only {withIds.Count} calls carry an id.");

        var failures = new List<string>();
        var requests = 0;
        var scanned = 0;
        var notFound = 0;
        var refusedForRole = 0;
        foreach (var role in Roles)
        {
            var member = a.Organisation[role];
            var browser = await app.SignedInAsync(member);
            var token = (await browser.GetPageAsync("/account/notifications")).AntiforgeryToken;
            var api = app.ApiClient(await app.CreateAccessTokenAsync(a.Organisation, member));

            async Task<(HttpResponseMessage Response, string Body)> SendAsync(
                EndpointCall call,
                Func<string, string> routeIds,
                Func<string, string> handlerIds
            )
            {
                var url =
                    TrustEndpoints.Fill(call.Pattern, routeIds)
                    + TrustEndpoints.Query(call, handlerIds);
                var response = await (call.IsApi ? api : browser).SendAsync(
                    TrustEndpoints.Request(
                        call.Verb,
                        url,
                        TrustEndpoints.Body(
                            call,
                            token,
                            new Dictionary<string, string>
                            {
                                ["OrganisationId"] = b.Organisation.Id.ToString(),
                            }
                        )
                    )
                );
                requests++;
                var body = await TrustEndpoints.ReadableBodyAsync(response);
                scanned++;
                if (body.Contains(TrustData.CanaryPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{role}: {call.Verb} {url} showed B's data");
                }
                return (response, body);
            }

            foreach (var call in withIds)
            {
                var variants = new List<(
                    string Name,
                    Func<string, string> Route,
                    Func<string, string> Handler
                )>
                {
                    ("B's ids", k => TrustEndpoints.IdOf(b, k), k => TrustEndpoints.IdOf(b, k)),
                };
                if (call.Parameters.Count > 0)
                {
                    // A's own page, acting on B's record: the handler must not look past the route's review.
                    variants.Add(
                        (
                            "A's route, B's record",
                            k => TrustEndpoints.IdOf(a, k),
                            k => TrustEndpoints.IdOf(b, k)
                        )
                    );
                }
                foreach (var (name, route, handler) in variants)
                {
                    var (response, _) = await SendAsync(call, route, handler);
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        notFound++;
                        continue;
                    }
                    // A role refused the route whatever the id learns nothing about B's: the same answer as a missing id.
                    // The same request with B's ids replaced by ids that exist nowhere.
                    var missingId = Guid.NewGuid().ToString();
                    var (missing, _) = await SendAsync(
                        call,
                        name == "B's ids" ? _ => missingId : route,
                        _ => missingId
                    );
                    if (
                        TrustEndpoints.RoleRefused(response)
                        && TrustEndpoints.Shape(missing) == TrustEndpoints.Shape(response)
                    )
                    {
                        refusedForRole++;
                        continue;
                    }
                    failures.Add(
                        $"{role}: {call.Key} with {name} answered {TrustEndpoints.Describe(response)} (a missing id: {TrustEndpoints.Describe(missing)})"
                    );
                }
            }

            // A's own lists, searches, pages and exports, of every kind: nothing of B's in any of them.
            foreach (var call in reads)
            {
                await SendAsync(
                    call,
                    k => TrustEndpoints.IdOf(a, k),
                    k => TrustEndpoints.IdOf(a, k)
                );
            }
            foreach (
                var search in new[]
                {
                    "/reviews?q=CANARY-B",
                    "/reviews?q=Beta",
                    "/reviews?archived=true&q=CANARY",
                    "/api/v1/reviews?archived=true&pageSize=100",
                    "/organisation/audit?q=CANARY",
                }
            )
            {
                var response = await (
                    search.StartsWith("/api/", StringComparison.Ordinal) ? api : browser
                ).GetAsync(search);
                requests++;
                scanned++;
                if (
                    (await TrustEndpoints.ReadableBodyAsync(response)).Contains(
                        TrustData.CanaryPrefix,
                        StringComparison.OrdinalIgnoreCase
                    )
                )
                {
                    failures.Add($"{role}: GET {search} showed B's data");
                }
            }
        }

        var after = await TrustData.SnapshotAsync(app, b.Organisation.Id);
        output.WriteLine(
            $"{db}: {calls.Count} endpoint calls, {withIds.Count} carrying an id, {reads.Count} reads; {requests} requests as {Roles.Length} roles; {notFound} answered 404, {refusedForRole} refused for the role whatever the id; {scanned} bodies searched for B's canaries; {before.Split('\n').Length - 1} rows of B compared; {clock.Elapsed.TotalSeconds:F0} s"
        );
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
        Assert.Equal(before, after);
    }

    [Theory, BothDatabases]
    public async Task EveryStateChangingRequest_WithoutTokenOrWithAnotherSessionsToken_IsRefusedAndChangesNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var calls = TrustEndpoints.Discover(app).Where(c => c.ChangesState).ToList();
        var owner = await app.SignedInAsync(a.Organisation.Owner);
        var ownersOtherSession = await app.SignedInAsync(a.Organisation.Owner);
        var stolen = (
            await ownersOtherSession.GetPageAsync("/account/notifications")
        ).AntiforgeryToken;
        await owner.GetPageAsync("/account/notifications");
        var anonymous = app.Browser();
        await anonymous.GetPageAsync("/account/sign-in");
        var othersAnonymous = (
            await app.Browser().GetPageAsync("/account/sign-in")
        ).AntiforgeryToken;
        string[] volatileColumns = ["LastSeenAt", "LastUsedAt"];
        var before = await TrustData.SnapshotAsync(
            app,
            a.Organisation.Id,
            ["AuditEvents"],
            volatileColumns
        );

        var failures = new List<string>();
        var requests = 0;
        foreach (var call in calls)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            var attempts = new List<(string Who, HttpClient Client, string? Token)>
            {
                ("signed in, no token", owner, null),
                ("signed in, another session's token", owner, stolen),
                ("anonymous, no token", anonymous, null),
                ("anonymous, another browser's token", anonymous, othersAnonymous),
            };
            foreach (var (who, client, token) in attempts)
            {
                var response = await client.SendAsync(
                    TrustEndpoints.Request(call.Verb, url, TrustEndpoints.Body(call, token))
                );
                requests++;
                var refused =
                    response.StatusCode == HttpStatusCode.BadRequest
                    // Not signed in at all: asked to sign in before the token is looked at.
                    || (
                        who.StartsWith("anonymous", StringComparison.Ordinal)
                        && TrustEndpoints.AskedToSignIn(response)
                    )
                    // The API and the hub never take the cookie, so a forged request has nothing to ride on.
                    || (
                        (
                            call.IsApi
                            || call.Pattern.StartsWith("/workshops/hub", StringComparison.Ordinal)
                        )
                        && response.StatusCode == HttpStatusCode.Unauthorized
                    );
                if (!refused && !NotAChange.ContainsKey(call.Key))
                {
                    failures.Add($"{call.Key} {who}: {TrustEndpoints.Describe(response)}");
                }
            }
            var now = await TrustData.SnapshotAsync(
                app,
                a.Organisation.Id,
                ["AuditEvents"],
                volatileColumns
            );
            if (now != before)
            {
                failures.Add($"{call.Key} changed the database without a valid token");
                before = now;
            }
        }

        // No GET changes anything, whoever asks: every GET handler, as every role, by cookie and by token, and anonymously.
        var gets = TrustEndpoints
            .Discover(app)
            .Where(c => !c.ChangesState && !c.Pattern.EndsWith(".pdf", StringComparison.Ordinal))
            .ToList();
        var readers = new List<(string Who, HttpClient Client)> { ("anonymous", app.Browser()) };
        foreach (var role in Roles)
        {
            readers.Add((role.ToString(), await app.SignedInAsync(a.Organisation[role])));
            readers.Add((role + " token", await app.ApiClientAsync(a.Organisation, role)));
        }
        before = await TrustData.SnapshotAsync(
            app,
            a.Organisation.Id,
            ["AuditEvents"],
            volatileColumns
        );
        foreach (var call in gets)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            foreach (var (who, client) in readers)
            {
                var response = await client.GetAsync(url);
                requests++;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {url} as {who}: {(int)response.StatusCode}");
                }
            }
            var now = await TrustData.SnapshotAsync(
                app,
                a.Organisation.Id,
                ["AuditEvents"],
                volatileColumns
            );
            if (now != before)
            {
                failures.Add($"{call.Key} changed the database");
                before = now;
            }
        }
        output.WriteLine(
            $"{db}: {calls.Count} state-changing calls and {gets.Count} GET calls; {requests} requests"
        );
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // trust.md A6: non-GET calls that change nothing, so need no antiforgery token, each with the reason.
    internal static readonly Dictionary<string, string> NotAChange = new()
    {
        ["POST /workshops/hub/negotiate"] =
            "SignalR's negotiate hands out a connection id and nothing else; the hub's one method only follows a session",
        ["POST /workshops/hub"] = "the hub's transport: it changes nothing (see above)",
        ["POST /health"] = "the health check answers any verb and writes nothing",
        ["POST /error/{code:int?}"] = "an error page, shown for any verb; it writes nothing",
        ["POST /{*path}"] = "the not-found page, for any verb",
    };
}
