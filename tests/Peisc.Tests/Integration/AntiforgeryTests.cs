using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

/// <summary>trust.md A6: a state-changing request needs this session's antiforgery token, and GET never changes anything.</summary>
public sealed class AntiforgeryTests
{
    private const string RefusedHeading = "Sorry, there is a problem with the request";

    [Theory, BothDatabases]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefusedAndSignsNobodyIn(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = app.Browser();
        var before = await SnapshotAsync(app);

        var page = await client.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(
            WithoutToken(page),
            SignInValues(organisation.Owner.Email)
        );

        await AssertRefusedAsync(response, page);
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/organisation")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task SignIn_WithAnotherSessionsToken_IsRefusedAndSignsNobodyIn(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = app.Browser();
        var other = app.Browser();
        await client.GetPageAsync("/account/sign-in");
        var before = await SnapshotAsync(app);

        var othersPage = await other.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(othersPage, SignInValues(organisation.Owner.Email));

        await AssertRefusedAsync(response, othersPage);
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/organisation")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task SetUp_WithoutAntiforgeryToken_IsRefusedAndCreatesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();

        var page = await client.GetPageAsync("/setup");
        var response = await client.SubmitAsync(WithoutToken(page), SetUpValues());

        await AssertRefusedAsync(response, page);
        Assert.Equal(0, await app.QueryAsync(d => d.Users.CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Organisations.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task SetUp_WithAnotherSessionsToken_IsRefusedAndCreatesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        var other = app.Browser();
        await client.GetPageAsync("/setup");

        var othersPage = await other.GetPageAsync("/setup");
        var response = await client.SubmitAsync(othersPage, SetUpValues());

        await AssertRefusedAsync(response, othersPage);
        Assert.Equal(0, await app.QueryAsync(d => d.Users.CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Organisations.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Settings_WithoutAntiforgeryToken_IsRefusedAndChangesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var page = await owner.GetPageAsync("/organisation/settings");
        var before = await SnapshotAsync(app);

        var response = await owner.SubmitAsync(WithoutToken(page), SettingsValues());

        await AssertRefusedAsync(response, page);
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(organisation.Name, (await owner.GetPageAsync("/organisation")).Heading);
    }

    [Theory, BothDatabases]
    public async Task Settings_WithTokenFromTheSameOwnersOtherSession_IsRefusedAndChangesNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var otherSession = await app.SignedInAsync(organisation.Owner);
        await owner.GetPageAsync("/organisation/settings");
        var before = await SnapshotAsync(app);

        var othersPage = await otherSession.GetPageAsync("/organisation/settings");
        var response = await owner.SubmitAsync(othersPage, SettingsValues());

        await AssertRefusedAsync(response, othersPage);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Settings_WithTokenFromAnotherOwnersSession_IsRefusedAndChangesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var another = await app.CreateOrganisationAsync(roles: MemberRole.Owner);
        var owner = await app.SignedInAsync(organisation.Owner);
        var anotherOwner = await app.SignedInAsync(another.Owner);
        await owner.GetPageAsync("/organisation/settings");
        var before = await SnapshotAsync(app);

        var othersPage = await anotherOwner.GetPageAsync("/organisation/settings");
        var response = await owner.SubmitAsync(othersPage, SettingsValues());

        await AssertRefusedAsync(response, othersPage);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Theory, BothDatabases]
    public async Task PostForms_OnEveryPage_CarryTheirAntiforgeryToken(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var anonymous = app.Browser();
        var values = await RouteValuesAsync(app, organisation);

        var missing = new List<string>();
        foreach (
            var url in GetUrls(app, values)
                .Where(u => !u.StartsWith("/api", StringComparison.Ordinal))
        )
        {
            foreach (var client in new[] { owner, anonymous })
            {
                var response = await client.GetAsync(url);
                if (response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    continue;
                }
                var page = await Html.ToPageAsync(response, new Uri(client.BaseAddress!, url));
                foreach (var form in page.FindAll("form"))
                {
                    var method = form.GetAttribute("method") ?? "get";
                    if (
                        string.Equals(method, "post", StringComparison.OrdinalIgnoreCase)
                        && form.QuerySelector("input[name=__RequestVerificationToken]") is null
                    )
                    {
                        missing.Add($"{url}: <form action=\"{form.GetAttribute("action")}\">");
                    }
                }
            }
        }

        Assert.True(
            missing.Count == 0,
            "Forms that post without a token:\n" + string.Join("\n", missing.Distinct())
        );
    }

    [Theory, BothDatabases]
    public async Task SignOutButtonInTheHeader_SignedIn_SignsOut(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(organisation[MemberRole.Contributor]);
        var page = await client.GetPageAsync("/organisation");

        var after = await client.SubmitAndFollowAsync(page, formSelector: "header form");

        Assert.Equal("You have signed out", after.Heading);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/organisation")).StatusCode);
        Assert.Contains(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.SignedOut
        );
    }

    [Theory, BothDatabases]
    public async Task Get_AnyPageAsAnyoneInAnyRole_ChangesNothingInTheDatabase(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var values = await RouteValuesAsync(app, organisation);
        var urls = GetUrls(app, values);
        var clients = new List<(string Who, HttpClient Client)> { ("anonymous", app.Browser()) };
        foreach (var member in organisation.Members.Values)
        {
            clients.Add((member.Role.ToString(), await app.SignedInAsync(member)));
            clients.Add(
                (
                    $"{member.Role} with an access token",
                    app.ApiClient(await app.CreateAccessTokenAsync(organisation, member))
                )
            );
        }
        var before = await SnapshotAsync(app);

        var changedBy = new List<string>();
        foreach (var (who, client) in clients)
        {
            foreach (var url in urls)
            {
                var response = await client.GetAsync(url);
                Assert.True(
                    (int)response.StatusCode < 500,
                    $"GET {url} as {who}: {(int)response.StatusCode}"
                );
                var after = await SnapshotAsync(app);
                if (after != before)
                {
                    changedBy.Add($"GET {url} as {who}:\n  before {before}\n  after  {after}");
                    before = after;
                }
            }
        }

        Assert.True(changedBy.Count == 0, string.Join("\n", changedBy));
    }

    // Every GET route the app maps, with real ids filled in; a route not listed here fails the test until it is added.
    private static List<string> GetUrls(TestApp app, Dictionary<string, string[]> values)
    {
        var routes = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e =>
                e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || methods.HttpMethods.Contains(HttpMethods.Get)
            )
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .ToList();
        var unknown = routes.Where(r => r.Contains('{') && !values.ContainsKey(r)).ToList();
        Assert.True(
            unknown.Count == 0,
            "Give these routes values in RouteValuesAsync: " + string.Join(", ", unknown)
        );
        return routes.SelectMany(r => r.Contains('{') ? values[r] : [r]).ToList();
    }

    private static async Task<Dictionary<string, string[]>> RouteValuesAsync(
        TestApp app,
        TestOrganisation organisation
    )
    {
        var edition = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.EditionPath))!;
        edition["id"] = "peisc-own";
        edition["title"] = "Our own edition";
        var token = "a-live-invitation-token-" + Guid.NewGuid().ToString("N");
        var editionId = Guid.NewGuid();
        await app.QueryAsync(
            async d =>
            {
                d.OrganisationEditions.Add(
                    new OrganisationEdition
                    {
                        Id = editionId,
                        OrganisationId = organisation.Id,
                        EditionId = "peisc-own",
                        Title = "Our own edition",
                        Version = "1",
                        Json = edition.ToJsonString(),
                        UploadedByUserId = organisation.Owner.Id,
                        UploadedAt = DateTime.UtcNow,
                    }
                );
                d.Invitations.Add(
                    new Invitation
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisation.Id,
                        Email = "invited@example.org",
                        Role = MemberRole.Contributor,
                        TokenHash = MembershipService.HashToken(token),
                        InvitedByUserId = organisation.Owner.Id,
                        CreatedAt = DateTime.UtcNow,
                        ExpiresAt = DateTime.UtcNow.AddDays(7),
                    }
                );
                return await d.SaveChangesAsync();
            },
            organisation.Id
        );
        var review = await app.CreateReviewAsync(organisation);
        await app.AnswerAsync(
            organisation,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear"
        );
        var action = await app.CreateActionAsync(
            organisation,
            review.Id,
            "Check the consent wording",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await app.StartRoundAsync(organisation, review.Id, "stage.3");
        var (_, voiceToken) = await app.InviteVoicesAsync(organisation, review.Id);
        var reviewUrl = $"/reviews/{review.Id}";
        var workshop = await app.StartWorkshopAsync(organisation, review.Id);
        return new()
        {
            ["/reviews/{id:guid}/workshops"] = [reviewUrl + "/workshops"],
            ["/workshops/{id:guid}"] =
            [
                $"/workshops/{workshop.Id}",
                $"/workshops/{Guid.NewGuid()}",
            ],
            ["/workshops/{id:guid}/projector"] = [$"/workshops/{workshop.Id}/projector"],
            ["/workshops/{id:guid}/take-part"] =
            [
                $"/workshops/{workshop.Id}/take-part",
                $"/workshops/{Guid.NewGuid()}/take-part",
            ],
            ["/reviews/{id:guid}"] =
            [
                reviewUrl,
                $"/reviews/{Guid.NewGuid()}",
                reviewUrl + "?view=stage",
            ],
            ["/reviews/{id:guid}/manage"] = [reviewUrl + "/manage"],
            ["/reviews/{id:guid}/actions"] =
            [
                reviewUrl + "/actions",
                reviewUrl + "/actions?sort=owner&desc=true&status=Open&overdue=true",
            ],
            ["/reviews/{id:guid}/actions/new"] =
            [
                reviewUrl + "/actions/new",
                reviewUrl + "/actions/new?item=human-rights.process.1",
            ],
            ["/reviews/{id:guid}/actions/{actionId:guid}"] =
            [
                $"{reviewUrl}/actions/{action.Id}",
                $"{reviewUrl}/actions/{Guid.NewGuid()}",
            ],
            ["/reviews/{id:guid}/rounds"] = [reviewUrl + "/rounds"],
            ["/reviews/{id:guid}/voices"] = [reviewUrl + "/voices"],
            ["/reviews/{id:guid}/voices/new"] = [reviewUrl + "/voices/new"],
            ["/voices/{token}"] = [$"/voices/{voiceToken}", "/voices/not-a-token"],
            ["/organisation/plain-language/{itemId}"] =
            [
                "/organisation/plain-language/human-rights.process.1",
                "/organisation/plain-language/nope",
            ],
            ["/reviews/{id:guid}/compare"] =
            [
                reviewUrl + "/compare",
                reviewUrl + "/compare?from=1&to=1",
                reviewUrl + "/compare?from=1&to=9",
            ],
            ["/reviews/{id:guid}/summary"] = [reviewUrl + "/summary"],
            ["/reviews/{id:guid}/exports"] = [reviewUrl + "/exports"],
            ["/reviews/{id:guid}/report"] = [reviewUrl + "/report", reviewUrl + "/report?round=1"],
            ["/reviews/{id:guid}/one-page"] =
            [
                reviewUrl + "/one-page",
                reviewUrl + "/one-page?round=5",
            ],
            ["/reviews/{id:guid}/exports/answers.xlsx"] =
            [
                reviewUrl + "/exports/answers.xlsx",
                reviewUrl + "/exports/answers.xlsx?round=1",
                reviewUrl + "/exports/answers.xlsx?round=9",
            ],
            ["/reviews/{id:guid}/exports/answers.csv"] =
            [
                reviewUrl + "/exports/answers.csv?round=1",
            ],
            ["/reviews/{id:guid}/exports/review.json"] = [reviewUrl + "/exports/review.json"],
            ["/api/v1/reviews/{id:guid}/exports/review.json"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/review.json",
            ],
            ["/reviews/{id:guid}/exports/actions.xlsx"] = [reviewUrl + "/exports/actions.xlsx"],
            ["/reviews/{id:guid}/exports/actions.csv"] = [reviewUrl + "/exports/actions.csv"],
            ["/reviews/{id:guid}/exports/board-report.docx"] =
            [
                reviewUrl + "/exports/board-report.docx",
                reviewUrl + "/exports/board-report.docx?round=1",
            ],
            ["/reviews/{id:guid}/exports/summary.docx"] = [reviewUrl + "/exports/summary.docx"],
            ["/reviews/{id:guid}/exports/facilitation-pack.docx"] =
            [
                reviewUrl + "/exports/facilitation-pack.docx",
                reviewUrl + "/exports/facilitation-pack.docx?situation=situation.3&stage=all",
            ],
            ["/reviews/{id:guid}/facilitation-pack"] =
            [
                reviewUrl + "/facilitation-pack",
                reviewUrl + "/facilitation-pack?situation=situation.5&stage=stage.6",
            ],
            ["/api/v1/reviews/{id:guid}/exports/facilitation-pack.docx"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/facilitation-pack.docx?stage=stage.1",
            ],
            ["/reviews/{id:guid}/exports/board-report.pdf"] =
            [
                reviewUrl + "/exports/board-report.pdf",
            ],
            ["/reviews/{id:guid}/exports/summary.pdf"] = [reviewUrl + "/exports/summary.pdf"],
            ["/api/v1/reviews/{id:guid}/exports/board-report.pdf"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/board-report.pdf?round=2",
            ],
            ["/api/v1/reviews/{id:guid}/exports/summary.pdf"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/summary.pdf",
            ],
            ["/api/v1/reviews/{id:guid}/exports/board-report.docx"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/board-report.docx",
            ],
            ["/api/v1/reviews/{id:guid}/exports/summary.docx"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/summary.docx?round=1",
            ],
            ["/api/v1/reviews/{id:guid}/exports/answers.xlsx"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/answers.xlsx?round=2",
            ],
            ["/api/v1/reviews/{id:guid}/exports/answers.csv"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/answers.csv",
            ],
            ["/api/v1/reviews/{id:guid}/exports/actions.xlsx"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/actions.xlsx",
            ],
            ["/api/v1/reviews/{id:guid}/exports/actions.csv"] =
            [
                $"/api/v1/reviews/{review.Id}/exports/actions.csv",
            ],
            ["/reviews/{id:guid}/items/{itemId}/history"] =
            [
                reviewUrl + "/items/human-rights.process.1/history",
                reviewUrl + "/items/nope/history",
            ],
            ["/reviews/{id:guid}/cells/{sectionId}/{domainId}"] =
            [
                reviewUrl + "/cells/human-rights/process",
                reviewUrl + "/cells/nope/process",
            ],
            ["/reviews/{id:guid}/items/{itemId}/discussion"] =
            [
                reviewUrl + "/items/human-rights.process.1/discussion",
                reviewUrl + "/items/nope/discussion",
            ],
            ["/reviews/{id:guid}/reflection"] = [reviewUrl + "/reflection"],
            ["/reviews/{id:guid}/reflection/{sectionId}/{domainId}"] =
            [
                reviewUrl + "/reflection/human-rights/process",
                reviewUrl + "/reflection/nope/process",
            ],
            ["/{*path}"] = ["/no/such/page"],
            ["/framework/{sectionId}/{domainId}"] =
            [
                "/framework/overarching/process",
                "/framework/nope/process",
            ],
            ["/error/{code:int?}"] = ["/error/404", "/error/400", "/error/403"],
            ["/organisation/members/{id:guid}"] =
            [
                $"/organisation/members/{organisation[MemberRole.Viewer].MembershipId}",
                $"/organisation/members/{Guid.NewGuid()}",
            ],
            ["/organisation/editions/{id:guid}"] =
            [
                $"/organisation/editions/{editionId}",
                $"/organisation/editions/{Guid.NewGuid()}",
            ],
            ["/invitations/{token}"] = [$"/invitations/{token}", "/invitations/not-a-token"],
            ["/api/v1/frameworks/{id}"] = ["/api/v1/frameworks/peisc", "/api/v1/frameworks/nope"],
            ["/openapi/{documentName}.json"] = ["/openapi/v1.json"],
            ["/api/v1/reviews/{id:guid}"] = [$"/api/v1/reviews/{review.Id}"],
            ["/api/v1/reviews/{id:guid}/rounds"] = [$"/api/v1/reviews/{review.Id}/rounds"],
            ["/api/v1/reviews/{id:guid}/answers"] =
            [
                $"/api/v1/reviews/{review.Id}/answers",
                $"/api/v1/reviews/{review.Id}/answers?round=1",
            ],
            ["/api/v1/reviews/{id:guid}/answers/{itemId}"] =
            [
                $"/api/v1/reviews/{review.Id}/answers/human-rights.process.1",
            ],
            ["/api/v1/reviews/{id:guid}/actions"] = [$"/api/v1/reviews/{review.Id}/actions"],
        };
    }

    // Row counts of every table in the model, and the users' concurrency stamps (which any change to a user renews).
    private static Task<string> SnapshotAsync(TestApp app) =>
        app.QueryAsync(async d =>
        {
            var parts = new List<string>();
            foreach (
                var table in d
                    .Model.GetEntityTypes()
                    .Select(e => e.GetTableName())
                    .OfType<string>()
                    // The audit trail records refused requests too (trust.md R1): a record, not a change.
                    .Where(t => t != "AuditEvents")
                    .Distinct()
                    .Order(StringComparer.Ordinal)
            )
            {
                // The table names come from the EF model, never from input.
#pragma warning disable EF1002, EF1003
                var count = await d
                    .Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{table}\"")
                    .SingleAsync();
#pragma warning restore EF1002, EF1003
                parts.Add($"{table}={count}");
            }
            var stamps = await d
                .Users.OrderBy(u => u.Id)
                .Select(u => u.ConcurrencyStamp)
                .ToListAsync();
            parts.Add("stamps=" + string.Join(",", stamps));
            return string.Join(" ", parts);
        });

    private static async Task AssertRefusedAsync(HttpResponseMessage response, Page from)
    {
        var page = await Html.ToPageAsync(response, from.Url);
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(RefusedHeading, page.Heading);
    }

    private static Page WithoutToken(Page page)
    {
        var token = page.Find("main form input[name=__RequestVerificationToken]");
        Assert.NotNull(token);
        token.Remove();
        return page;
    }

    private static Dictionary<string, string> SignInValues(string email) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = TestApp.Password };

    private static Dictionary<string, string> SetUpValues() =>
        new()
        {
            ["Input.OrganisationName"] = "Forged Council",
            ["Input.Name"] = "Forged Owner",
            ["Input.Email"] = "forged@example.org",
            ["Input.Password"] = TestApp.Password,
        };

    private static Dictionary<string, string> SettingsValues() =>
        new()
        {
            ["Input.Name"] = "Renamed by a forged request",
            ["Input.RequireTwoFactor"] = "true",
        };
}
