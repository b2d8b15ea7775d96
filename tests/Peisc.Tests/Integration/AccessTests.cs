using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

/// <summary>trust.md A1, A2 and A4, by walking every endpoint the application has.</summary>
public sealed partial class AccessTests
{
    // Everything a person may reach without signing in. Anything else must ask for sign-in.
    private static readonly HashSet<string> Public =
    [
        "/",
        "/framework",
        "/framework/{sectionId}/{domainId}",
        "/framework/stages",
        "/framework/print",
        "/setup",
        "/account/sign-in",
        "/account/sign-in/two-factor",
        "/account/sign-out",
        "/account/signed-out",
        "/accessibility",
        "/privacy",
        "/error/{code:int?}",
        "/invitations/{token}",
        // A lived-experience link: anyone holding it may answer, with no account (docs/lived-experience.md).
        "/voices/{token}",
        "/join",
        "/health",
        "/openapi/{documentName}.json",
        "/api/v1/frameworks/",
        "/api/v1/frameworks/schema",
        "/api/v1/reviews/schema",
        "/api/v1/frameworks/{id}",
        "/{*path}",
    ];

    private sealed record Target(
        string Pattern,
        string Method,
        IReadOnlyList<string> Handlers,
        bool TakesId
    );

    private static List<Target> Endpoints(TestApp app) =>
        app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Select(e =>
            {
                var pattern = "/" + e.RoutePattern.RawText!.TrimStart('/');
                var page = e.Metadata.GetMetadata<CompiledPageActionDescriptor>();
                if (page is not null)
                {
                    // A page takes an id in its route (every handler then acts on it) or in a handler's parameters.
                    var routeId = pattern.Contains("{id", StringComparison.Ordinal);
                    var handlers = page
                        .HandlerMethods.Where(h => routeId || h.Parameters.Any(p => p.Name == "id"))
                        .Select(h => $"{h.HttpMethod}:{h.Name}")
                        .ToList();
                    return new Target(pattern, "PAGE", handlers, handlers.Count > 0);
                }
                var method = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods
                    is { Count: > 0 } methods
                    ? methods[0]
                    : "GET";
                return new Target(
                    pattern,
                    method,
                    [],
                    pattern.Contains("{id", StringComparison.Ordinal)
                );
            })
            .ToList();

    private static string Fill(string pattern, string id) =>
        RouteParameter()
            .Replace(
                pattern,
                m =>
                    m.Groups[1].Value switch
                    {
                        "id" => id,
                        "sectionId" => "human-rights",
                        "domainId" => "process",
                        "code" => "404",
                        "documentName" => "v1",
                        "token" => "not-a-token",
                        "path" => "no/such/page",
                        "itemId" => "human-rights.process.1",
                        "actionId" => id,
                        var other => throw new InvalidOperationException(
                            $"The access walk does not know how to fill {{{other}}} in {pattern}: teach it."
                        ),
                    }
            );

    // API writes get a well-formed (if empty) JSON body, as any client sends: without a content
    // type they would not reach the API endpoint at all, but the fallback route's 404.
    private static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url)
        {
            Content =
                url.StartsWith("/api/", StringComparison.Ordinal) && method is "POST" or "PUT"
                    ? new StringContent("{}", Encoding.UTF8, "application/json")
                    : null,
        };

    [Theory, BothDatabases]
    public async Task EveryEndpoint_Anonymous_AsksForSignInUnlessPublic(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();
        var client = app.Browser();
        var endpoints = Endpoints(app);
        Assert.True(
            endpoints.Count > 25,
            $"Only {endpoints.Count} endpoints found: the walk is not seeing the application."
        );

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var url = Fill(endpoint.Pattern, Guid.NewGuid().ToString());
            var method = endpoint.Method == "PAGE" ? "GET" : endpoint.Method;
            var response = await client.SendAsync(Request(method, url));
            // The sign-in challenge carries the page to come back to; a plain redirect to sign-in is a page's own choice.
            var askedToSignIn =
                response.StatusCode == HttpStatusCode.Unauthorized
                || (
                    response.StatusCode == HttpStatusCode.Redirect
                    && response.Headers.Location!.OriginalString.Contains(
                        "/account/sign-in?returnUrl=",
                        StringComparison.Ordinal
                    )
                );
            var isApi = endpoint.Pattern.StartsWith("/api/", StringComparison.Ordinal);
            if (Public.Contains(endpoint.Pattern))
            {
                if (askedToSignIn)
                {
                    failures.Add($"{method} {url} is meant to be public but asked for sign-in");
                }
            }
            else if (
                !askedToSignIn || (isApi && response.StatusCode != HttpStatusCode.Unauthorized)
            )
            {
                failures.Add(
                    $"{method} {url} answered {(int)response.StatusCode} to an anonymous request"
                );
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory, BothDatabases]
    public async Task EveryEndpointTakingAnId_OtherOrganisationsIds_AnswerNotFoundAndChangeNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha");
        var b = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Owner]);
        var foreignIds = await SeedRecordsAsync(app, a);
        var before = await SnapshotAsync(app, a.Id);

        var client = await app.SignedInAsync(b.Owner);
        // The API takes personal access tokens, not the cookie: B's owner calls it with one of theirs.
        var api = app.ApiClient(await app.CreateAccessTokenAsync(b, b.Owner));
        var failures = new List<string>();
        var tried = 0;
        foreach (var endpoint in Endpoints(app).Where(e => e.TakesId))
        {
            foreach (var id in foreignIds)
            {
                var url = Fill(endpoint.Pattern, id.ToString());
                var requests = new List<HttpRequestMessage>();
                if (endpoint.Method == "PAGE")
                {
                    foreach (var handler in endpoint.Handlers)
                    {
                        var (verb, name) = (handler.Split(':')[0], handler.Split(':')[1]);
                        var query = $"?id={id}" + (name.Length > 0 ? $"&handler={name}" : "");
                        var request = new HttpRequestMessage(new HttpMethod(verb), url + query);
                        if (verb.Equals("POST", StringComparison.OrdinalIgnoreCase))
                        {
                            var token = (await client.GetPageAsync("/organisation/settings"))
                                .Find("input[name=__RequestVerificationToken]")!
                                .GetAttribute("value")!;
                            request.Content = new FormUrlEncodedContent(
                                new Dictionary<string, string>
                                {
                                    ["__RequestVerificationToken"] = token,
                                    ["Role"] = "Viewer",
                                    ["ConfirmRemove"] = "true",
                                    ["ConfirmDelete"] = "true",
                                }
                            );
                        }
                        requests.Add(request);
                    }
                }
                else
                {
                    requests.Add(Request(endpoint.Method, url));
                }
                foreach (var request in requests)
                {
                    tried++;
                    var isApi = request.RequestUri!.OriginalString.StartsWith(
                        "/api/",
                        StringComparison.Ordinal
                    );
                    var response = await (isApi ? api : client).SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (
                        response.StatusCode != HttpStatusCode.NotFound
                        || body.Contains("Alpha", StringComparison.Ordinal)
                    )
                    {
                        failures.Add(
                            $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}"
                        );
                    }
                }
            }
        }
        Assert.True(
            tried >= 12,
            $"Only {tried} requests were tried: the walk is not reaching the id routes."
        );
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SnapshotAsync(app, a.Id));
    }

    public static TheoryData<string, MemberRole, bool> OwnerOnlyPages =>
        new()
        {
            { "/organisation/settings", MemberRole.Owner, true },
            { "/organisation/settings", MemberRole.Facilitator, false },
            { "/organisation/settings", MemberRole.Contributor, false },
            { "/organisation/settings", MemberRole.Viewer, false },
            { "/organisation/members/invite", MemberRole.Owner, true },
            { "/organisation/members/invite", MemberRole.Facilitator, false },
            { "/organisation/members/invite", MemberRole.Viewer, false },
            { "/organisation/audit", MemberRole.Owner, true },
            { "/organisation/audit", MemberRole.Contributor, false },
            { "/organisation/members", MemberRole.Viewer, true },
            { "/organisation/editions", MemberRole.Viewer, true },
            { "/organisation", MemberRole.Contributor, true },
        };

    [Theory, MemberData(nameof(OwnerOnlyPages))]
    public async Task Page_ByRole_FollowsThePolicyTable(string path, MemberRole role, bool allowed)
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org[role]);

        var response = await client.GetAsync(path);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(
                "/account/access-denied",
                response.Headers.Location?.PathAndQuery
                    ?? response.Headers.Location?.OriginalString,
                StringComparison.Ordinal
            );
        }
    }

    [Theory, BothDatabases]
    public async Task ChangeRole_PostingExtraFields_ChangesOnlyTheRole(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(org.Owner);
        var viewer = org[MemberRole.Viewer];
        var page = await client.GetPageAsync($"/organisation/members/{viewer.MembershipId}");

        await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Role"] = "Contributor",
                ["OrganisationId"] = other.Id.ToString(),
                ["UserId"] = org.Owner.Id.ToString(),
            }
        );

        var membership = await app.QueryAsync(d =>
            d.Memberships.IgnoreQueryFilters().SingleAsync(m => m.Id == viewer.MembershipId)
        );
        Assert.Equal(MemberRole.Contributor, membership.Role);
        Assert.Equal(org.Id, membership.OrganisationId);
        Assert.Equal(viewer.Id, membership.UserId);
    }

    [Theory, BothDatabases]
    public async Task Members_LastOwner_CannotBeDemotedOrRemoved(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(org.Owner);
        var page = await client.GetPageAsync($"/organisation/members/{org.Owner.MembershipId}");

        var demote = await Html.ToPageAsync(
            await client.SubmitAsync(page, new Dictionary<string, string> { ["Role"] = "Viewer" }),
            page.Url
        );
        var remove = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string> { ["ConfirmRemove"] = "true" },
                "form[action*='Remove']"
            ),
            page.Url
        );

        Assert.Contains(
            "The organisation must keep at least one owner: make someone else an owner first",
            demote.ErrorSummary
        );
        Assert.Contains(
            "The organisation must keep at least one owner: make someone else an owner first",
            remove.ErrorSummary
        );
        Assert.Equal(
            MemberRole.Owner,
            await app.QueryAsync(
                d =>
                    d.Memberships.Where(m => m.Id == org.Owner.MembershipId)
                        .Select(m => m.Role)
                        .SingleAsync(),
                org.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task Members_RemovedMember_LosesAccessAtOnce(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var contributor = org[MemberRole.Contributor];
        var theirs = await app.SignedInAsync(contributor);
        Assert.Contains(
            org.Owner.Email,
            (await theirs.GetPageAsync("/organisation/members")).Text,
            StringComparison.Ordinal
        );

        var owner = await app.SignedInAsync(org.Owner);
        var page = await owner.GetPageAsync($"/organisation/members/{contributor.MembershipId}");
        var done = await owner.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string> { ["ConfirmRemove"] = "true" },
            "form[action*='Remove']"
        );

        Assert.Contains("has been removed", done.Text, StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await theirs.GetAsync("/organisation/members")).StatusCode
        );
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "membership.removed");
    }

    [Theory, BothDatabases]
    public async Task Members_RoleChange_IsAuditedAndShown(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org.Owner);
        var page = await client.GetPageAsync(
            $"/organisation/members/{org[MemberRole.Viewer].MembershipId}"
        );

        var done = await client.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string> { ["Role"] = "Facilitator" }
        );

        Assert.Contains("is now a Facilitator", done.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e =>
                e.Action == "membership.role-changed"
                && e.Detail!.Contains("Viewer to Facilitator", StringComparison.Ordinal)
        );
    }

    /// <summary>One record of every kind an organisation owns, returning their ids.</summary>
    private static async Task<List<Guid>> SeedRecordsAsync(TestApp app, TestOrganisation org)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UseOrganisation(org.Id);
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            OrganisationId = org.Id,
            Email = "pending@example.org",
            Role = MemberRole.Viewer,
            TokenHash = Guid.NewGuid().ToString("N"),
            InvitedByUserId = org.Owner.Id,
            CreatedAt = DateTime.UtcNow,
            ExpiresAt = DateTime.UtcNow.AddDays(7),
        };
        var edition = new OrganisationEdition
        {
            Id = Guid.NewGuid(),
            OrganisationId = org.Id,
            EditionId = "alpha-edition",
            Title = "Alpha edition",
            Version = "1",
            Json = await File.ReadAllTextAsync(RepoFiles.EditionPath),
            UploadedByUserId = org.Owner.Id,
            UploadedAt = DateTime.UtcNow,
        };
        db.Invitations.Add(invitation);
        db.OrganisationEditions.Add(edition);
        await db.SaveChangesAsync();
        var review = await app.CreateReviewAsync(org);
        var (voiceInvitation, _) = await app.InviteVoicesAsync(org, review.Id);
        // A review with a live session, so the session's pages are tried with a real foreign id too.
        var workshop = await app.StartWorkshopAsync(org, review.Id);
        return
        [
            .. org.Members.Values.Select(m => m.MembershipId),
            invitation.Id,
            edition.Id,
            review.Id,
            voiceInvitation.Id,
            workshop.Id,
        ];
    }

    private static Task<string> SnapshotAsync(TestApp app, Guid organisationId) =>
        app.QueryAsync(
            async d =>
                string.Join(
                    "|",
                    (
                        await d
                            .Memberships.OrderBy(m => m.Id)
                            .Select(m => $"{m.Id}:{m.Role}")
                            .ToListAsync()
                    )
                        .Concat(
                            await d
                                .Invitations.OrderBy(i => i.Id)
                                .Select(i => $"{i.Id}:{i.RevokedAt}")
                                .ToListAsync()
                        )
                        .Concat(
                            await d
                                .VoiceInvitations.OrderBy(i => i.Id)
                                .Select(i => $"{i.Id}:{i.RevokedAt}:{i.TokenHash}")
                                .ToListAsync()
                        )
                        .Concat(
                            await d
                                .OrganisationEditions.OrderBy(e => e.Id)
                                .Select(e => e.Id.ToString())
                                .ToListAsync()
                        )
                ),
            organisationId
        );

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
