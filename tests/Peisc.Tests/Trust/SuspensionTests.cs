using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Trust;

// trust.md S6: a suspended (disabled) person's sessions end within a minute, and the suspension is audited.
public sealed class SuspensionTests
{
    private const string Reason = "Left the team on 3 November; access to be reviewed";

    private static async Task<HttpResponseMessage> SuspendAsync(
        HttpClient owner,
        TestUser member,
        string reason = Reason
    )
    {
        var page = await owner.GetPageAsync($"/organisation/members/{member.MembershipId}");
        return await owner.SubmitAsync(
            page,
            new Dictionary<string, string> { ["SuspendReason"] = reason },
            "form[action*='handler=Suspend']"
        );
    }

    [Theory, BothDatabases]
    public async Task Suspend_SessionOpenBeforehand_IsRefusedOnItsVeryNextRequestAndAudited(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var contributor = org[MemberRole.Contributor];
        var owner = await app.SignedInAsync(org.Owner);
        // Two browsers, so "all their sessions" is more than one.
        var laptop = await app.SignedInAsync(contributor);
        var phone = await app.SignedInAsync(contributor);
        var api = app.ApiClient(await app.CreateAccessTokenAsync(org, contributor));
        // Each is now in the sign-in cache, which must not let any of them through afterwards.
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/organisation")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/organisation")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);

        var suspend = await SuspendAsync(owner, contributor);

        Assert.Equal("/organisation/members", suspend.LocationPath());
        foreach (var browser in new[] { laptop, phone })
        {
            var refused = await browser.GetAsync("/organisation");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/account/sign-in", refused.LocationPath(), StringComparison.Ordinal);
        }
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await api.GetAsync("/api/v1/reviews")).StatusCode
        );
        var sessions = await app.QueryAsync(d =>
            d.UserSessions.Where(s => s.UserId == contributor.Id).ToListAsync()
        );
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.NotNull(s.EndedAt));

        var audit = await app.AuditAsync(org.Id);
        var suspended = Assert.Single(audit, e => e.Action == AuditActions.MemberSuspended);
        Assert.Equal(org.Owner.Id, suspended.ActorUserId);
        Assert.Equal(contributor.MembershipId.ToString(), suspended.EntityId);
        Assert.Contains(Reason, suspended.Detail, StringComparison.Ordinal);
        Assert.Contains(
            audit,
            e =>
                e.Action == AuditActions.SessionsEnded
                && e.Detail!.StartsWith("2 sessions", StringComparison.Ordinal)
        );
        Assert.Contains(
            audit,
            e =>
                e.Action == AuditActions.TokenRefused
                && e.Detail!.Contains("suspended", StringComparison.Ordinal)
        );
        var members = await owner.GetPageAsync("/organisation/members");
        Assert.Contains("Suspended", members.Text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Suspended_SigningInAgain_IsRefusedUntilAnOwnerRestoresAccess(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner, MemberRole.Viewer]);
        var viewer = org[MemberRole.Viewer];
        var owner = await app.SignedInAsync(org.Owner);
        await SuspendAsync(owner, viewer);

        var again = app.Browser();
        var signInPage = await again.GetPageAsync("/account/sign-in");
        var refused = await Html.ToPageAsync(
            await again.SubmitAsync(
                signInPage,
                new Dictionary<string, string>
                {
                    ["Input.Email"] = viewer.Email,
                    ["Input.Password"] = TestApp.Password,
                }
            ),
            signInPage.Url
        );

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(
            "Your access has been suspended",
            Assert.Single(refused.ErrorSummary),
            StringComparison.Ordinal
        );
        Assert.NotEqual(HttpStatusCode.OK, (await again.GetAsync("/organisation")).StatusCode);
        Assert.False(
            await app.QueryAsync(d =>
                d.UserSessions.AnyAsync(s => s.UserId == viewer.Id && s.EndedAt == null)
            )
        );
        Assert.Contains(
            await app.AuditAsync(),
            e => e.Action == AuditActions.SignInSuspended && e.ActorUserId == viewer.Id
        );

        var member = await owner.GetPageAsync($"/organisation/members/{viewer.MembershipId}");
        Assert.Contains(Reason, member.Text, StringComparison.Ordinal);
        var restore = await owner.SubmitAsync(
            member,
            formSelector: "form[action*='handler=Restore']"
        );
        Assert.Equal("/organisation/members", restore.LocationPath());
        var back = await app.SignedInAsync(viewer);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/organisation")).StatusCode);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.MemberRestored && e.ActorUserId == org.Owner.Id
        );
    }

    [Theory, BothDatabases]
    public async Task SuspendedInOneOrganisation_StillWorksInTheOtherButCannotSwitchBack(Db db)
    {
        await using var app = new TestApp(db);
        var first = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var second = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var person = await app.AddMemberAsync(first.Id, MemberRole.Facilitator);
        await app.AddMemberAsync(second.Id, MemberRole.Facilitator, email: person.Email);
        var owner = await app.SignedInAsync(first.Owner);
        await SuspendAsync(owner, person);

        var client = await app.SignedInAsync(person);

        var home = await client.GetPageAsync("/organisation");
        Assert.Contains(second.Name, home.Heading, StringComparison.Ordinal);
        var switchPage = await client.GetPageAsync("/organisation/switch");
        Assert.DoesNotContain(first.Name, switchPage.Text, StringComparison.Ordinal);
        var forced = await client.SubmitAsync(
            switchPage,
            new Dictionary<string, string> { ["OrganisationId"] = first.Id.ToString() }
        );
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var stillHome = await client.GetPageAsync("/organisation");
        Assert.Contains(second.Name, stillHome.Heading, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Suspend_WithoutAReasonOrOfOneself_IsRefusedWithAMessage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner, MemberRole.Viewer]);
        var owner = await app.SignedInAsync(org.Owner);

        var noReason = await Html.ToPageAsync(
            await SuspendAsync(owner, org[MemberRole.Viewer], reason: "  "),
            new Uri("http://localhost/")
        );
        var self = await Html.ToPageAsync(
            await SuspendAsync(owner, org.Owner),
            new Uri("http://localhost/")
        );

        Assert.Equal(
            "Enter why you are suspending this member's access",
            Assert.Single(noReason.ErrorSummary)
        );
        Assert.Equal("You cannot suspend your own access", Assert.Single(self.ErrorSummary));
        Assert.False(
            await app.QueryAsync(d =>
                d.Memberships.IgnoreQueryFilters().AnyAsync(m => m.SuspendedAt != null)
            )
        );
        Assert.DoesNotContain(
            await app.AuditAsync(),
            e => e.Action == AuditActions.MemberSuspended
        );
    }

    [Theory, BothDatabases]
    public async Task SuspensionWrittenByAnotherInstance_EndsTheSessionWithinAMinute(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Contributor]);
        var contributor = org[MemberRole.Contributor];
        var client = await app.SignedInAsync(contributor);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);

        // Another app instance sharing the database suspends them: this instance's cache cannot know.
        await app.ExecuteOutsideTheAppAsync(
            """UPDATE "Memberships" SET "SuspendedAt" = "CreatedAt", "SuspendedReason" = 'Elsewhere' WHERE "UserId" = @user""",
            contributor.Id
        );
        // The longest a cached sign-in can be served, well inside the minute that S6 allows.
        Assert.True(SignInCache.Lifetime < TimeSpan.FromMinutes(1));
        clock.Advance(SignInCache.Lifetime + TimeSpan.FromSeconds(1));

        var response = await client.GetAsync("/organisation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.LocationPath(), StringComparison.Ordinal);
        Assert.False(
            await app.QueryAsync(d =>
                d.UserSessions.AnyAsync(s => s.UserId == contributor.Id && s.EndedAt == null)
            )
        );
    }
}
