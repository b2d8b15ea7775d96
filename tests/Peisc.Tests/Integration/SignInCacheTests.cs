using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

/// <summary>
/// The sign-in checks are cached for a few seconds (SignInCache). These tests hold the promise that
/// made that acceptable: a change made through this app takes effect on the very next request,
/// however it was written, and a change made behind the app's back (another instance sharing the
/// database) takes effect once the cache's lifetime has passed.
/// </summary>
public sealed class SignInCacheTests
{
    [Theory, BothDatabases]
    public async Task RoleLowered_WithABulkUpdate_TakesEffectOnTheNextRequest(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var facilitator = org[MemberRole.Facilitator];
        var client = await app.SignedInAsync(facilitator);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/reviews/new")).StatusCode);

        // ExecuteUpdate bypasses the change tracker: the watcher sees the SQL itself.
        await app.QueryAsync(
            d =>
                d.Memberships.Where(m => m.Id == facilitator.MembershipId)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.Role, MemberRole.Viewer)),
            org.Id
        );

        var response = await client.GetAsync("/reviews/new");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/access-denied", response.LocationPath());
    }

    [Theory, BothDatabases]
    public async Task TokenRevokedInTheApp_IsRefusedOnTheNextRequest(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Contributor]);
        var token = await app.CreateAccessTokenAsync(org, org[MemberRole.Contributor]);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        await app.QueryAsync(
            d =>
                d.AccessTokens.Where(t => t.UserId == org[MemberRole.Contributor].Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, DateTime.UtcNow)),
            org.Id
        );

        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await api.GetAsync("/api/v1/reviews")).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task SessionEndedByAnotherInstance_IsRefusedOnceTheCacheLifetimeHasPassed(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var viewer = org[MemberRole.Viewer];
        var client = await app.SignedInAsync(viewer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);

        // Written on a connection of its own, as another app instance would: this app cannot see it.
        await app.ExecuteOutsideTheAppAsync(
            """UPDATE "UserSessions" SET "EndedAt" = "CreatedAt" WHERE "EndedAt" IS NULL"""
        );
        clock.Advance(SignInCache.Lifetime + TimeSpan.FromSeconds(1));

        var response = await client.GetAsync("/organisation");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.LocationPath(), StringComparison.Ordinal);
    }
}
