using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Trust;

// trust.md R1: every change, export, sign-in (either way) and refused request writes exactly one
// audit row with UTC time, actor, organisation, action, entity and correlation id.
public sealed class AuditCompletenessTests
{
    private sealed record Expected(string Action, Guid? Actor, string? EntityType);

    [Theory, BothDatabases]
    public async Task Journey_EachKindOfAction_WritesExactlyOneRowWithItsFields(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var token = await app.CreateAccessTokenAsync(org, org[MemberRole.Contributor]);
        var steps = 0;
        var start = DateTime.UtcNow.AddSeconds(-1);
        HttpClient owner = null!;
        HttpClient viewer = null!;

        async Task StepAsync(Expected expected, Func<Task> act)
        {
            var before = await app.AuditAsync();
            await act();
            var added = (await app.AuditAsync()).Skip(before.Count).ToList();
            var row = Assert.Single(added);
            Assert.Equal(expected.Action, row.Action);
            Assert.Equal(expected.Actor, row.ActorUserId);
            Assert.Equal(org.Id, row.OrganisationId);
            Assert.Equal(expected.EntityType, row.EntityType);
            Assert.False(
                string.IsNullOrEmpty(row.CorrelationId),
                $"{row.Action} has no correlation id"
            );
            Assert.InRange(row.OccurredAt, start, DateTime.UtcNow.AddSeconds(1));
            steps++;
        }

        // Sign-ins, both ways.
        await StepAsync(
            new(AuditActions.SignedIn, org.Owner.Id, nameof(AppUser)),
            async () => owner = await app.SignedInAsync(org.Owner)
        );
        await StepAsync(
            new(AuditActions.SignedIn, org[MemberRole.Viewer].Id, nameof(AppUser)),
            async () => viewer = await app.SignedInAsync(org[MemberRole.Viewer])
        );
        await StepAsync(
            new(AuditActions.SignInFailed, org[MemberRole.Viewer].Id, nameof(AppUser)),
            async () =>
            {
                var client = app.Browser();
                var page = await client.GetPageAsync("/account/sign-in");
                await client.SubmitAsync(
                    page,
                    new Dictionary<string, string>
                    {
                        ["Input.Email"] = org[MemberRole.Viewer].Email,
                        ["Input.Password"] = "not the right password at all",
                    }
                );
            }
        );
        // Changes: a page form, and an answer through the API (the grouped writer on SQLite).
        await StepAsync(
            new(AuditActions.OrganisationUpdated, org.Owner.Id, nameof(Organisation)),
            async () =>
            {
                var page = await owner.GetPageAsync("/organisation/settings");
                await owner.SubmitAndFollowAsync(
                    page,
                    new Dictionary<string, string> { ["Input.Name"] = "Renamed " + org.Name }
                );
            }
        );
        await StepAsync(
            new("answer.saved", org[MemberRole.Contributor].Id, nameof(Answer)),
            async () =>
            {
                var api = app.ApiClient(token);
                var response = await api.PutJsonAsync(
                    $"/api/v1/reviews/{review.Id}/answers/human-rights.process.1",
                    new
                    {
                        position = "Concern",
                        reasoning = "Families were not told.",
                        version = 0,
                    }
                );
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        );
        // Exports: a review spreadsheet, and the audit trail itself.
        await StepAsync(
            new(AuditActions.AnswersExported, org.Owner.Id, nameof(Review)),
            async () =>
            {
                var response = await owner.GetAsync($"/reviews/{review.Id}/exports/answers.csv");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        );
        string csv = "";
        await StepAsync(
            new(AuditActions.AuditExported, org.Owner.Id, nameof(Organisation)),
            async () =>
            {
                var page = await owner.GetPageAsync("/organisation/audit");
                var response = await owner.SubmitAsync(page, new Dictionary<string, string>());
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Matches(
                    @"^peisc-audit-trail-\d{4}-\d{2}-\d{2}\.csv$",
                    response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                );
                csv = await response.Content.ReadAsStringAsync();
            }
        );
        // A refused request.
        await StepAsync(
            new(AuditActions.AccessDenied, org[MemberRole.Viewer].Id, null),
            async () =>
            {
                var response = await viewer.GetAsync("/organisation/audit");
                Assert.Equal("/account/access-denied", response.LocationPath());
            }
        );
        await StepAsync(
            new(AuditActions.SignedOut, org.Owner.Id, nameof(AppUser)),
            async () =>
            {
                var page = await owner.GetPageAsync("/account/sign-out");
                await owner.SubmitAsync(page, new Dictionary<string, string>());
            }
        );

        Assert.Equal(9, steps);
        // The CSV holds the organisation's whole trail up to and including its own download.
        var rows = await app.AuditAsync(org.Id);
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.Equal(
            "When (UTC),Who,Action,Entity type,Entity id,Details,Correlation id,Sequence,Hash",
            lines[0].TrimStart('\uFEFF')
        );
        Assert.Equal(rows.Count - 2, lines.Length - 1);
        Assert.Contains(AuditActions.AuditExported, lines[^1], StringComparison.Ordinal);
    }

    // Every state-changing call the app maps (found by walking its endpoints), made by the owner with
    // the probe body every trust test uses: each one that changed anything wrote exactly one row, and
    // each one that changed nothing wrote at most one (a refusal, an export). A new call is covered
    // without editing this test.
    [Theory, BothDatabases]
    public async Task EveryStateChangingCall_ThatChangesSomething_WritesExactlyOneRow(Db db)
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var owner = a.Organisation.Owner;
        var calls = TrustEndpoints
            .Discover(app)
            .Where(c => c.ChangesState && !AccessMatrixTests.NotAChange.ContainsKey(c.Key))
            .OrderBy(RolePolicyTests.Destructiveness)
            .ThenBy(RolePolicyTests.SortKey, StringComparer.Ordinal)
            .ToList();
        var browser = await app.SignedInAsync(owner);
        var token = (await browser.GetPageAsync("/account/notifications")).AntiforgeryToken;
        var api = await app.ApiClientAsync(a.Organisation, MemberRole.Owner);
        // Bookkeeping, not changes: the audit itself, a session's or token's last use, cookie keys.
        string[] notChanges = ["AuditEvents", "DataProtectionKeys"];
        string[] volatileColumns = ["LastSeenAt", "LastUsedAt"];

        var failures = new List<string>();
        var changed = 0;
        var audited = 0;
        foreach (var call in calls)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            var before = await TableSnapshot.TakeAsync(app);
            var rowsBefore = (await app.AuditAsync()).Count;
            var started = DateTime.UtcNow.AddSeconds(-1);
            var response = await (call.IsApi ? api : browser).SendAsync(
                TrustEndpoints.Request(call.Verb, url, TrustEndpoints.Body(call, token))
            );
            var after = await TableSnapshot.TakeAsync(app);
            var added = (await app.AuditAsync()).Skip(rowsBefore).ToList();
            var tables = before
                .Keys.Union(after.Keys)
                .Where(k => !notChanges.Contains(k.Table))
                .Where(k =>
                    !before.TryGetValue(k, out var was)
                    || !after.TryGetValue(k, out var now)
                    || was.Values.Any(v =>
                        !volatileColumns.Contains(v.Key) && now[v.Key] != v.Value
                    )
                )
                .Select(k => k.Table)
                .Distinct()
                .ToList();
            var what = $"{call.Key} ({(int)response.StatusCode})";
            if (tables.Count > 0)
            {
                changed++;
                if (added.Count != 1)
                {
                    failures.Add(
                        $"{what} changed {string.Join(", ", tables)} and wrote {added.Count} audit rows: {string.Join(", ", added.Select(r => r.Action))}"
                    );
                }
            }
            else if (added.Count > 1)
            {
                failures.Add(
                    $"{what} changed nothing and wrote {added.Count} audit rows: {string.Join(", ", added.Select(r => r.Action))}"
                );
            }
            foreach (var row in added)
            {
                audited++;
                if (string.IsNullOrEmpty(row.CorrelationId) || row.OccurredAt < started)
                {
                    failures.Add($"{what}: its {row.Action} row has no correlation id or time");
                }
            }
            if (TrustEndpoints.AskedToSignIn(response) && call.Pattern != "/account/sign-out")
            {
                failures.Add($"{what}: the owner was asked to sign in");
            }
        }
        Console.WriteLine(
            $"R1 change walk ({db}): {calls.Count} state-changing calls, {changed} changed something, {audited} audit rows"
        );
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The probe bodies must really change things, or this test proves nothing.
        Assert.True(changed >= 20, $"only {changed} of {calls.Count} calls changed anything");
    }

    [Theory, BothDatabases]
    public async Task AuditExport_OtherOrganisationsOwner_GetsOnlyTheirOwnRows(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync();
        var b = await app.CreateOrganisationAsync();
        var canary = "CANARY-B-" + Guid.NewGuid().ToString("N");
        var bOwner = await app.SignedInAsync(b.Owner);
        var settings = await bOwner.GetPageAsync("/organisation/settings");
        await bOwner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.Name"] = canary }
        );
        var aOwner = await app.SignedInAsync(a.Owner);

        var page = await aOwner.GetPageAsync("/organisation/audit");
        var response = await aOwner.SubmitAsync(page, new Dictionary<string, string>());

        var csv = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(canary, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(b.Owner.Email, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(b.Owner.Id.ToString(), csv, StringComparison.Ordinal);
        Assert.DoesNotContain(b.Id.ToString(), csv, StringComparison.Ordinal);
        Assert.Equal((await app.AuditAsync(a.Id)).Count, csv.TrimEnd().Split("\r\n").Length - 1);
        foreach (
            var role in new[] { MemberRole.Facilitator, MemberRole.Contributor, MemberRole.Viewer }
        )
        {
            var client = await app.SignedInAsync(a[role]);
            var refused = await client.PostAsync("/organisation/audit?handler=export", null);
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }
    }

    // Found by walking the app's endpoints, so a new owner-only page is covered without editing this test.
    [Theory, BothDatabases]
    public async Task OwnerOnlyPages_RequestedByAViewer_EachWriteOneDeniedRow(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var paths = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e =>
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Owner)
                && e.RoutePattern.Parameters.Count == 0
            )
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .Order()
            .ToList();
        Assert.Contains("/organisation/audit", paths);
        Assert.Contains("/organisation/settings", paths);

        foreach (var path in paths)
        {
            var before = (await app.AuditAsync()).Count;
            var response = await viewer.GetAsync(path);
            Assert.Equal("/account/access-denied", response.LocationPath());
            var added = (await app.AuditAsync()).Skip(before).ToList();
            var row = Assert.Single(added);
            Assert.Equal(AuditActions.AccessDenied, row.Action);
            Assert.Equal(org[MemberRole.Viewer].Id, row.ActorUserId);
            Assert.Equal(org.Id, row.OrganisationId);
            Assert.Equal($"GET {path}", row.Detail);
            Assert.False(string.IsNullOrEmpty(row.CorrelationId));
        }
        Console.WriteLine($"R1 denied walk ({db}): {paths.Count} owner-only pages, one row each");
    }

    // Every API endpoint that can change something, found by walking the app's endpoints, called
    // by a viewer's token: each refusal writes exactly one row, and nothing else is written.
    [Theory, BothDatabases]
    public async Task WritingApiEndpoints_CalledByAViewer_EachRefusalWritesOneRow(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(org, review.Id, "Ask the families' forum");
        var viewer = app.ApiClient(await app.CreateAccessTokenAsync(org, org[MemberRole.Viewer]));
        var endpoints = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e =>
                (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                    .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                    .Select(m => (Method: m, Route: e.RoutePattern))
            )
            .ToList();
        Assert.True(endpoints.Count >= 5, $"only {endpoints.Count} writing API endpoints");

        var refused = 0;
        foreach (var (method, route) in endpoints)
        {
            var path = "/" + route.RawText!.TrimStart('/');
            foreach (var parameter in route.Parameters)
            {
                var value = parameter.Name switch
                {
                    "id" => review.Id.ToString(),
                    "actionId" => action.Id.ToString(),
                    "itemId" => "human-rights.process.1",
                    _ => throw new InvalidOperationException(
                        $"No test value for {{{parameter.Name}}} in {path}"
                    ),
                };
                path = System.Text.RegularExpressions.Regex.Replace(
                    path,
                    "\\{" + parameter.Name + "[^}]*\\}",
                    value
                );
            }
            var before = await app.AuditAsync();
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = JsonContent.Create(
                    new
                    {
                        title = "x",
                        position = "Concern",
                        version = 0,
                    }
                ),
            };
            var response = await viewer.SendAsync(request);
            var added = (await app.AuditAsync()).Skip(before.Count).ToList();

            Assert.True(
                response.StatusCode is HttpStatusCode.Forbidden,
                $"{method} {path} answered a viewer with {(int)response.StatusCode}"
            );
            var row = Assert.Single(added);
            Assert.Equal(AuditActions.AccessDenied, row.Action);
            Assert.Equal(org[MemberRole.Viewer].Id, row.ActorUserId);
            Assert.Equal(org.Id, row.OrganisationId);
            Assert.Equal($"{method} {path}", row.Detail);
            Assert.False(string.IsNullOrEmpty(row.CorrelationId));
            refused++;
        }
        Console.WriteLine(
            $"R1 API walk ({db}): {refused} writing endpoints refused a viewer, one row each"
        );
    }
}
