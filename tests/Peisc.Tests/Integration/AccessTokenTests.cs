using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

/// <summary>Personal access tokens: made and revoked on /account/tokens, shown once, stored hashed, checked on every API call.</summary>
public sealed class AccessTokenTests
{
    [Theory, BothDatabases]
    public async Task CreateToken_ThroughThePage_IsShownOnceStoredHashedAndWorksAsBearer(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var contributor = org[MemberRole.Contributor];
        var client = await app.SignedInAsync(contributor);
        var page = await client.GetPageAsync("/account/tokens");

        var created = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Name"] = "Quarterly report script",
                    ["Input.LifetimeDays"] = "90",
                },
                "#create-token"
            ),
            page.Url
        );

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var token = created.Find("#new-token")!.TextContent.Trim();
        Assert.Matches("^peisc_[A-Za-z0-9_-]{43}$", token);
        Assert.Contains("shown only once", created.Text, StringComparison.Ordinal);

        var again = await client.GetPageAsync("/account/tokens");
        Assert.DoesNotContain(token, again.Text, StringComparison.Ordinal);
        Assert.Null(again.Find("#new-token"));
        Assert.Contains("Quarterly report script", again.Text, StringComparison.Ordinal);
        Assert.Contains(token[..12], again.Text, StringComparison.Ordinal);

        var stored = await app.QueryAsync(d => d.AccessTokens.SingleAsync());
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        Assert.Equal(hash, stored.TokenHash, ignoreCase: true);
        Assert.Equal(token[..12], stored.Prefix);
        Assert.Equal(contributor.Id, stored.UserId);
        Assert.Equal(org.Id, stored.OrganisationId);
        Assert.Equal(TimeSpan.FromDays(90), stored.ExpiresAt - stored.CreatedAt);
        Assert.Null(stored.LastUsedAt);

        var response = await app.ApiClient(token).GetAsync("/api/v1/reviews");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await app.QueryAsync(d => d.AccessTokens.SingleAsync())).LastUsedAt);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e =>
                e.Action == "token.created"
                && e.ActorUserId == contributor.Id
                && !e.Detail!.Contains(token, StringComparison.Ordinal)
        );
    }

    [Theory, BothDatabases]
    public async Task CreateToken_MissingOrWrongFields_ShowsErrorsAndCreatesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var page = await client.GetPageAsync("/account/tokens");

        var empty = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string> { ["Input.Name"] = "   " },
                "#create-token"
            ),
            page.Url
        );
        var tooLong = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Name"] = new string('n', 101),
                    ["Input.LifetimeDays"] = "7",
                },
                "#create-token"
            ),
            page.Url
        );

        Assert.Equal(
            ["Enter a name for the token", "Select how long the token will work for"],
            empty.ErrorSummary
        );
        Assert.Equal(
            ["Name must be 100 characters or fewer", "Select how long the token will work for"],
            tooLong.ErrorSummary
        );
        Assert.StartsWith("Error: ", tooLong.Document.Title, StringComparison.Ordinal);
        Assert.Equal(new string('n', 101), tooLong.Find("#Input_Name")!.GetAttribute("value"));
        Assert.Equal(0, await app.QueryAsync(d => d.AccessTokens.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task RevokedToken_AnswersUnauthorized(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(org.Owner);
        var page = await client.GetPageAsync("/account/tokens");
        var created = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Name"] = "Old script",
                    ["Input.LifetimeDays"] = "30",
                },
                "#create-token"
            ),
            page.Url
        );
        var api = app.ApiClient(created.Find("#new-token")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        var listed = await client.GetPageAsync("/account/tokens");
        var done = await client.SubmitAndFollowAsync(
            listed,
            formSelector: "form[action*='Revoke']"
        );

        Assert.Contains("has been revoked", done.Text, StringComparison.Ordinal);
        Assert.Null(done.Find("#tokens"));
        Assert.NotNull(done.Find("#no-tokens"));
        var response = await api.GetAsync("/api/v1/reviews");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await app.QueryAsync(d => d.AccessTokens.SingleAsync())).RevokedAt);
        var audit = await app.AuditAsync(org.Id);
        Assert.Contains(audit, e => e.Action == "token.revoked");
        Assert.Contains(
            audit,
            e =>
                e.Action == "token.refused"
                && e.Detail!.Contains("revoked", StringComparison.Ordinal)
        );
    }

    [Theory, BothDatabases]
    public async Task ExpiredToken_AnswersUnauthorizedAndShowsAsExpired(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Contributor]);
        var contributor = org[MemberRole.Contributor];
        var api = app.ApiClient(
            await app.CreateAccessTokenAsync(org, contributor, TimeSpan.FromDays(30))
        );
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await api.GetAsync("/api/v1/reviews")).StatusCode
        );
        var page = await (await app.SignedInAsync(contributor)).GetPageAsync("/account/tokens");
        Assert.Contains("Expired", page.Find("#tokens")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Token_LastUsed_IsRecordedAtMostOnceAMinute(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var api = app.ApiClient(await app.CreateAccessTokenAsync(org, org[MemberRole.Viewer]));
        var first = clock.GetUtcNow().UtcDateTime;
        Task<DateTime?> LastUsedAsync() =>
            app.QueryAsync(d => d.AccessTokens.Select(t => t.LastUsedAt).SingleAsync());

        await api.GetAsync("/api/v1/reviews");
        var afterFirst = await LastUsedAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        await api.GetAsync("/api/v1/reviews");
        var afterSecond = await LastUsedAsync();
        clock.Advance(TimeSpan.FromSeconds(31));
        await api.GetAsync("/api/v1/reviews");
        var afterThird = await LastUsedAsync();

        Assert.Equal(first, afterFirst!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(first.AddSeconds(61), afterThird!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Theory, BothDatabases]
    public async Task Token_OfSomeoneNoLongerAMember_AnswersUnauthorized(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var contributor = org[MemberRole.Contributor];
        var api = app.ApiClient(await app.CreateAccessTokenAsync(org, contributor));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        await app.QueryAsync(
            d => d.Memberships.Where(m => m.Id == contributor.MembershipId).ExecuteDeleteAsync(),
            org.Id
        );

        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await api.GetAsync("/api/v1/reviews")).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task Token_ActsWithTheMembersCurrentRole(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Facilitator]
        );
        var facilitator = org[MemberRole.Facilitator];
        var api = app.ApiClient(await app.CreateAccessTokenAsync(org, facilitator));

        await app.QueryAsync(
            d =>
                d.Memberships.Where(m => m.Id == facilitator.MembershipId)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.Role, MemberRole.Viewer)),
            org.Id
        );
        var response = await api.PostJsonAsync("/api/v1/reviews", ReviewsApiTests.NewReview());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Token_ForOneOrganisation_SeesOnlyThatOrganisationsReviews(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha", roles: [MemberRole.Facilitator]);
        var b = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Facilitator]);
        var person = a[MemberRole.Facilitator];
        await app.AddMemberAsync(b.Id, MemberRole.Owner, person.Email);
        var inA = await app.CreateReviewAsync(a, "Alpha review");
        var inB = await app.CreateReviewAsync(b, "Beta review");
        var api = app.ApiClient(await app.CreateAccessTokenAsync(a, person));

        var list = await (await api.GetAsync("/api/v1/reviews")).JsonAsync(HttpStatusCode.OK);
        var foreign = await api.GetAsync($"/api/v1/reviews/{inB.Id}");

        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(inA.Id.ToString(), item.Text("id"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(
            "Beta",
            await foreign.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task RevokeToken_SomeoneElses_AnswersNotFoundAndLeavesItWorking(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var theirs = await app.CreateAccessTokenAsync(org, org[MemberRole.Contributor]);
        var theirId = await app.QueryAsync(d => d.AccessTokens.Select(t => t.Id).SingleAsync());
        await app.CreateAccessTokenAsync(org, org.Owner, name: "Owner's own");
        var owner = await app.SignedInAsync(org.Owner);
        var page = await owner.GetPageAsync("/account/tokens");
        var token = page.Find("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await owner.PostAsync(
            $"/account/tokens?id={theirId}&handler=Revoke",
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["__RequestVerificationToken"] = token }
            )
        );

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(theirs[..12], page.Text, StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.OK,
            (await app.ApiClient(theirs).GetAsync("/api/v1/reviews")).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task ReviewsApi_WithoutAValidToken_AnswersUnauthorizedWithProblemDetails(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var signedIn = await app.SignedInAsync(org.Owner);

        var anonymous = await app.ApiClient(null).GetAsync("/api/v1/reviews");
        var garbage = await app.ApiClient("not-a-token").GetAsync("/api/v1/reviews");
        var unknown = await app.ApiClient("peisc_" + new string('A', 43))
            .GetAsync($"/api/v1/reviews/{review.Id}");
        var anonymousWrite = await app.ApiClient(null)
            .PostJsonAsync("/api/v1/reviews", ReviewsApiTests.NewReview());
        // The API takes tokens only: a signed-in browser's cookie is not enough.
        var cookie = await signedIn.GetAsync("/api/v1/reviews");

        foreach (var response in new[] { anonymous, garbage, unknown, anonymousWrite, cookie })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(
                "application/problem+json",
                response.Content.Headers.ContentType?.MediaType
            );
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        Assert.Equal(1, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task TokensPage_OnlyListsTokensForTheOrganisationBeingWorkedIn(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha", roles: [MemberRole.Contributor]);
        var b = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Owner]);
        var person = a[MemberRole.Contributor];
        await app.AddMemberAsync(b.Id, MemberRole.Viewer, person.Email);
        await app.CreateAccessTokenAsync(a, person, name: "Alpha script");
        await app.CreateAccessTokenAsync(b, person, name: "Beta script");

        var page = await (await app.SignedInAsync(person)).GetPageAsync("/account/tokens");

        var table = page.Find("#tokens")!.TextContent;
        Assert.Contains("Alpha script", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Beta script", table, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AccountPage_LinksToTheTokensPage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync("/account/two-factor");

        Assert.NotNull(page.Find("a[href='/account/tokens']"));
    }
}
