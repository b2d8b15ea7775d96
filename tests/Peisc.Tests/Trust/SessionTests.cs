using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

// trust.md S1 to S4: what the existing sign-in tests leave open.
public sealed partial class SessionTests(ITestOutputHelper output)
{
    /// <summary>Counts password-hash checks, the one costly step of a sign-in.</summary>
    private sealed class CountingHasher(IOptions<PasswordHasherOptions> options)
        : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> inner = new(options);
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(AppUser user, string password) =>
            inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(
            AppUser user,
            string hashedPassword,
            string providedPassword
        )
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Theory, BothDatabases]
    public async Task SignIn_UnknownEmailWrongPasswordOrLockedAccount_TakeTheSamePathAndTime(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?> { ["Security:MaxFailedSignIns"] = "10" }
        );
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Viewer, MemberRole.Contributor]
        );
        var locked = org[MemberRole.Contributor];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(locked.Id.ToString());
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddMinutes(15));
        }
        CountingHasher? hasher = null;
        var counted = app.WithWebHostBuilder(b =>
            b.ConfigureTestServices(s =>
                s.AddSingleton<IPasswordHasher<AppUser>>(sp =>
                    hasher = new CountingHasher(
                        sp.GetRequiredService<IOptions<PasswordHasherOptions>>()
                    )
                )
            )
        );
        HttpClient Browser() =>
            counted.CreateClient(
                new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }
            );
        await Browser().TrySignInAsync("warm.up@example.org", "warming up the app");

        var kinds = new (string Name, string Email)[]
        {
            ("unknown email", "nobody.here@example.org"),
            ("wrong password (owner)", org.Owner.Email),
            ("wrong password (viewer)", org[MemberRole.Viewer].Email),
            ("locked account", locked.Email),
        };
        var times = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        // Interleaved, so that a busy moment on the machine falls on every kind alike.
        for (var round = 0; round < 4; round++)
        {
            foreach (var (name, email) in kinds)
            {
                var before = hasher!.Verifications;
                var watch = Stopwatch.StartNew();
                var page = await Browser().TrySignInAsync(email, $"not the pass phrase {round}");
                watch.Stop();
                times[name].Add(watch.Elapsed.TotalMilliseconds);

                Assert.Equal(HttpStatusCode.OK, page.Status);
                Assert.StartsWith(
                    "Enter a correct email address and password",
                    Assert.Single(page.ErrorSummary),
                    StringComparison.Ordinal
                );
                Assert.True(
                    hasher.Verifications - before == 1,
                    $"{name}: {hasher.Verifications - before} password checks, not 1"
                );
            }
        }

        var medians = times.ToDictionary(t => t.Key, t => Median(t.Value));
        foreach (var (name, median) in medians)
        {
            output.WriteLine($"{name}: median {median:0} ms of {times[name].Count}");
        }
        // Without the decoy check an unknown email answers in a fraction of the time; the margin is for a busy machine.
        var wrong = Math.Min(medians["wrong password (owner)"], medians["wrong password (viewer)"]);
        Assert.True(
            medians["unknown email"] > wrong * 0.5,
            $"Unknown email {medians["unknown email"]:0} ms against wrong password {wrong:0} ms"
        );
        Assert.True(
            medians["locked account"] > wrong * 0.5,
            $"Locked account {medians["locked account"]:0} ms against wrong password {wrong:0} ms"
        );
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    [Fact]
    public async Task Startup_AllowingMoreThanTenFailedSignIns_IsRefused()
    {
        await using var app = new TestApp(
            Db.Sqlite,
            new Dictionary<string, string?> { ["Security:MaxFailedSignIns"] = "11" }
        );

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);
        Assert.Contains("1 to 10", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task LockedOut_TheMomentItHappens_IsAuditedOnce(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var viewer = org[MemberRole.Viewer];
        var limit = app
            .Services.GetRequiredService<IOptions<SecurityOptions>>()
            .Value.MaxFailedSignIns;

        for (var i = 0; i < limit - 1; i++)
        {
            await app.Browser().TrySignInAsync(viewer.Email, $"wrong pass phrase {i}");
        }
        Assert.DoesNotContain(await app.AuditAsync(), e => e.Action == AuditActions.LockedOut);
        await app.Browser().TrySignInAsync(viewer.Email, "the last wrong pass phrase");

        var lockedOut = Assert.Single(
            await app.AuditAsync(),
            e => e.Action == AuditActions.LockedOut
        );
        Assert.Equal(viewer.Id, lockedOut.ActorUserId);
        Assert.Equal(org.Id, lockedOut.OrganisationId);
        Assert.Equal(
            limit - 1,
            (await app.AuditAsync()).Count(e =>
                e.Action == AuditActions.SignInFailed && e.ActorUserId == viewer.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task SignUp_LongPassPhrases_AreAcceptedWholeAndSignInWorks(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var owner = await app.SignedInAsync(org.Owner);
        // 64 exactly, and a 100-character phrase with no digits, capitals or symbols.
        var phrases = new[]
        {
            "a long pass phrase of exactly sixty four characters for the test",
            "the quiet river runs past the old mill where we used to sit and talk about nothing at all, for hours",
        };
        Assert.Equal(64, phrases[0].Length);
        Assert.Equal(100, phrases[1].Length);

        for (var i = 0; i < phrases.Length; i++)
        {
            var email = $"long.{i}@example.org";
            var invite = await owner.GetPageAsync("/organisation/members/invite");
            await owner.SubmitAsync(
                invite,
                new Dictionary<string, string>
                {
                    ["Input.Email"] = email,
                    ["Input.Role"] = nameof(MemberRole.Viewer),
                }
            );
            var link = Integration.InvitationTests.LinkFromMail(app, email);
            var invitee = app.Browser();
            var page = await invitee.GetPageAsync(link);
            var joined = await invitee.SubmitAndFollowAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Name"] = $"Long {i}",
                    ["Input.Password"] = phrases[i],
                }
            );
            Assert.Equal("/organisation", joined.Url.AbsolutePath);

            // The whole phrase counts: one character short of it is wrong.
            var shortened = await app.Browser().TrySignInAsync(email, phrases[i][..^1]);
            Assert.Equal(HttpStatusCode.OK, shortened.Status);
            await app.Browser().SignInAsync(email, phrases[i]);
        }
    }

    [Theory, BothDatabases]
    public async Task TwoFactor_EveryRole_CanTurnItOn(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();

        foreach (var (role, user) in org.Members)
        {
            var client = await app.SignedInAsync(user);
            var page = await client.OpenTwoFactorSetUpAsync();
            var key = page.Find("#authenticator-key")?.TextContent.Trim();
            Assert.False(string.IsNullOrEmpty(key), $"{role} is offered no authenticator key");
            var done = await Html.ToPageAsync(
                await client.SubmitAsync(
                    page,
                    new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key!) }
                ),
                page.Url
            );
            Assert.Contains("Two-factor sign-in is on", done.Text, StringComparison.Ordinal);
        }
        Assert.All(
            await app.QueryAsync(d => d.Users.Select(u => u.TwoFactorEnabled).ToListAsync()),
            Assert.True
        );
    }

    [Theory, BothDatabases]
    public async Task Owner_WithoutTwoFactorWhenRequired_IsSentToSetItUpFromEveryPage(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?> { ["Security:RequireTwoFactorForOwners"] = "true" }
        );
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var owner = await app.SignedInAsync(org.Owner);
        var paths = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Select(e =>
                "/"
                + RouteParameter()
                    .Replace(e.RoutePattern.RawText!.TrimStart('/'), Guid.NewGuid().ToString())
            )
            .Where(p =>
                !p.StartsWith("/account", StringComparison.Ordinal)
                && !p.StartsWith("/error", StringComparison.Ordinal)
                && !p.StartsWith("/health", StringComparison.Ordinal)
                && !p.Contains("{*", StringComparison.Ordinal)
            )
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(paths.Count > 40, $"Only {paths.Count} routes found");

        var missed = new List<string>();
        foreach (var path in paths)
        {
            var response = await owner.GetAsync(path);
            var sentToSetUp = path.StartsWith("/api", StringComparison.Ordinal)
                ? response.StatusCode == HttpStatusCode.Forbidden
                : response.StatusCode == HttpStatusCode.Redirect
                    && response.LocationPath() == "/account/two-factor";
            if (!sentToSetUp)
            {
                missed.Add($"{path} answered {(int)response.StatusCode} {response.LocationPath()}");
            }
        }
        output.WriteLine($"{paths.Count} routes checked");
        Assert.Empty(missed);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/account/two-factor")).StatusCode);
    }

    // {id:guid}, {code:int?}, {**path}: each parameter becomes a value the route accepts.
    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Theory, BothDatabases]
    public async Task SignIn_WithTwoFactor_StartsTheSessionOnlyAfterTheCode(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var facilitator = org[MemberRole.Facilitator];
        var codes = await app.EnableTwoFactorAsync(facilitator);
        var client = app.Browser();

        var password = await client.TrySignInAsync(facilitator.Email, TestApp.Password);
        Assert.Equal("/account/sign-in/two-factor", password.Response.LocationPath());
        Assert.DoesNotContain(
            password.Response.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("peisc=", StringComparison.Ordinal)
        );
        Assert.False(await app.QueryAsync(d => d.UserSessions.AnyAsync()));
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);

        var codePage = await client.GetPageAsync("/account/sign-in/two-factor");
        var done = await client.SubmitAsync(
            codePage,
            new Dictionary<string, string> { ["Input.Code"] = codes[0] }
        );

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains(
            done.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("peisc=", StringComparison.Ordinal)
        );
        var session = await app.QueryAsync(d => d.UserSessions.SingleAsync());
        Assert.Equal(facilitator.Id, session.UserId);
        Assert.Null(session.EndedAt);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Session_IdleJustUnderTheTimeout_StaysButJustOverIsEndedOnTheServer(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var idle = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.IdleTimeout;
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var viewer = org[MemberRole.Viewer];
        var client = await app.SignedInAsync(viewer);

        clock.Advance(idle - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);
        clock.Advance(idle + TimeSpan.FromMinutes(1));
        var response = await client.GetAsync("/organisation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.LocationPath(), StringComparison.Ordinal);
        var session = await app.QueryAsync(d =>
            d.UserSessions.SingleAsync(s => s.UserId == viewer.Id)
        );
        // PostgreSQL keeps microseconds.
        Assert.Equal(
            clock.GetUtcNow().UtcDateTime,
            session.EndedAt!.Value,
            TimeSpan.FromMilliseconds(1)
        );
    }

    [Theory, BothDatabases]
    public async Task Session_InUseAllDay_EndsAtTheAbsoluteTimeout(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var settings = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Contributor]);
        var contributor = org[MemberRole.Contributor];
        var client = await app.SignedInAsync(contributor);
        var started = clock.GetUtcNow();
        var step = settings.IdleTimeout / 2;

        // Busy all day: never idle for long, so only the absolute limit can end it.
        var requests = 0;
        while (clock.GetUtcNow() - started + step < settings.AbsoluteTimeout)
        {
            clock.Advance(step);
            var response = await client.GetAsync("/organisation");
            requests++;
            Assert.True(
                response.StatusCode == HttpStatusCode.OK,
                $"Refused after {clock.GetUtcNow() - started} of use"
            );
        }
        var lastAccepted = clock.GetUtcNow() - started;
        // A minute past the limit; still well inside the idle timeout since the last request.
        clock.Advance(
            settings.AbsoluteTimeout + TimeSpan.FromMinutes(1) - (clock.GetUtcNow() - started)
        );
        var refused = await client.GetAsync("/organisation");

        output.WriteLine(
            $"{requests} requests accepted up to {lastAccepted} after sign-in; refused at {settings.AbsoluteTimeout} plus a minute"
        );
        Assert.True(requests >= 20);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in", refused.LocationPath(), StringComparison.Ordinal);
        var session = await app.QueryAsync(d =>
            d.UserSessions.SingleAsync(s => s.UserId == contributor.Id)
        );
        Assert.NotNull(session.EndedAt);
        Assert.True(session.EndedAt - session.CreatedAt > settings.AbsoluteTimeout);
    }
}
