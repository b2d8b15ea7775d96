using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class SignInTests
{
    [Theory, BothDatabases]
    public async Task SignIn_CorrectPassword_LandsOnOrganisationAndIsAudited(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = app.Browser();

        var result = await client.TrySignInAsync(org.Owner.Email, TestApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/organisation", result.Response.Headers.Location?.OriginalString);
        var home = await client.GetPageAsync("/organisation");
        Assert.Contains(org.Name, home.Heading, StringComparison.Ordinal);
        var audit = await app.AuditAsync(org.Id);
        Assert.Contains(
            audit,
            e =>
                e.Action == "sign-in.succeeded"
                && e.ActorUserId == org.Owner.Id
                && e.CorrelationId != null
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_WrongPasswordOrUnknownEmail_GiveTheSameAnswer(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();

        var wrongPassword = await app.Browser()
            .TrySignInAsync(org.Owner.Email, "not the right pass phrase");
        var unknownEmail = await app.Browser()
            .TrySignInAsync("nobody@example.org", "not the right pass phrase");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.Status);
        Assert.Equal(wrongPassword.ErrorSummary, unknownEmail.ErrorSummary);
        Assert.Contains(
            "Enter a correct email address and password",
            Assert.Single(wrongPassword.ErrorSummary),
            StringComparison.Ordinal
        );
        Assert.Equal(org.Owner.Email, wrongPassword.Find("#Input_Email")?.GetAttribute("value"));
        Assert.Equal("", wrongPassword.Find("#Input_Password")?.GetAttribute("value") ?? "");
        var audit = await app.AuditAsync();
        Assert.Contains(audit, e => e.Action == "sign-in.failed" && e.ActorUserId == org.Owner.Id);
        Assert.Contains(
            audit,
            e =>
                e.Action == "sign-in.failed"
                && e.Detail!.Contains("nobody@example.org", StringComparison.Ordinal)
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_FiveFailures_LocksTheAccountEvenForTheRightPassword(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [Peisc.Web.Data.MemberRole.Contributor]);
        var user = org[MemberRole.Contributor];

        for (var i = 0; i < 5; i++)
        {
            await app.Browser().TrySignInAsync(user.Email, $"wrong pass phrase {i}");
        }
        var afterLockout = await app.Browser().TrySignInAsync(user.Email, TestApp.Password);

        Assert.Equal(HttpStatusCode.OK, afterLockout.Status);
        Assert.Contains(
            "Enter a correct email address and password",
            Assert.Single(afterLockout.ErrorSummary),
            StringComparison.Ordinal
        );
        var lockoutEnd = await app.QueryAsync(d =>
            d.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync()
        );
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Contains(
            await app.AuditAsync(),
            e => e.Action == "sign-in.locked-out" && e.ActorUserId == user.Id
        );
    }

    [Theory, BothDatabases]
    public async Task SignOut_CopiedCookieReplayedAfterwards_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = app.Browser();
        var page = await client.GetPageAsync("/account/sign-in");
        var signIn = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = org.Owner.Email,
                ["Input.Password"] = TestApp.Password,
            }
        );
        var cookie = signIn
            .Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith("peisc=", StringComparison.Ordinal))
            .Split(';')[0];

        var home = await client.GetPageAsync("/organisation");
        var signOut = await client.SubmitAsync(
            home,
            formSelector: "form[action='/account/sign-out']"
        );
        Assert.Equal("/account/signed-out", signOut.Headers.Location?.OriginalString);

        var attacker = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/organisation");
        request.Headers.Add("Cookie", cookie);
        var replay = await attacker.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith(
            "/account/sign-in",
            replay.Headers.Location?.PathAndQuery ?? replay.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        var session = await app.QueryAsync(d =>
            d.UserSessions.SingleAsync(s => s.UserId == org.Owner.Id)
        );
        Assert.NotNull(session.EndedAt);
    }

    [Theory, BothDatabases]
    public async Task SignIn_NewSession_RotatesSessionId(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        await client.SignInAsync(org[MemberRole.Viewer].Email);

        var sessions = await app.QueryAsync(d =>
            d.UserSessions.Where(s => s.UserId == org[MemberRole.Viewer].Id).ToListAsync()
        );
        Assert.Equal(2, sessions.Count);
        Assert.Single(sessions, s => s.EndedAt == null);
    }

    [Theory, BothDatabases]
    public async Task Session_IdleLongerThanTimeout_IsEndedOnTheServer(Db db)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(31));
        var response = await client.GetAsync("/organisation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(
            "/account/sign-in",
            response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_ReturnUrlToAnotherSite_GoesHomeInstead(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = app.Browser();
        var page = await client.GetPageAsync("/account/sign-in?returnUrl=//evil.example/x");
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = org[MemberRole.Viewer].Email,
                ["Input.Password"] = TestApp.Password,
            }
        );

        Assert.Equal("/organisation", response.Headers.Location?.OriginalString);
    }
}
