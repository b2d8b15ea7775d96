using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Operations;
using Peisc.Web.Workshops;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

// trust.md R7: configurable retention periods; the purge removes what expired and touches nothing else.
public sealed class RetentionTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    // Deliberately not the defaults, so the test shows the settings are read.
    private static readonly Dictionary<string, string?> Periods = new()
    {
        ["Retention:SignInSessions"] = "60.00:00:00",
        ["Retention:MemberInvitations"] = "45.00:00:00",
        ["Retention:LivedExperienceInvitations"] = "120.00:00:00",
        ["Retention:WorkshopGuests"] = "14.00:00:00",
        ["Retention:AccessTokens"] = "100.00:00:00",
        ["Retention:PickupEmails"] = "7.00:00:00",
        ["Retention:ArchivedReviews"] = "2555.00:00:00",
    };

    [Theory, BothDatabases]
    public async Task Purge_RemovesExactlyWhatOutlivedItsPeriod_AndNothingElse(Db db)
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = new TestApp(db, Periods) { Clock = clock };
        var now = Start.UtcDateTime;
        var seeded = new Seeded();
        var a = await app.CreateOrganisationAsync("Organisation A");
        var b = await app.CreateOrganisationAsync("Organisation B");
        foreach (var org in new[] { a, b })
        {
            await SeedAsync(app, org, now, seeded);
        }
        // An audit row far older than every period: audit rows are always kept.
        await InOrganisationAsync(
            app,
            a.Id,
            d =>
                d.AuditEvents.Add(
                    new AuditEvent
                    {
                        OccurredAt = now.AddYears(-12),
                        OrganisationId = a.Id,
                        Action = "sign-in.succeeded",
                        ActorName = "Long ago",
                    }
                )
        );
        var mail = Directory.CreateDirectory(app.MailDirectory);
        seeded.Emails.Add(Email(mail, "old.eml", now - TimeSpan.FromDays(7) - Margin));
        Email(mail, "recent.eml", now - TimeSpan.FromDays(7) + Margin);
        Email(mail, "old-notes.txt", now - TimeSpan.FromDays(70));

        var before = await TableSnapshot.TakeAsync(app);
        var filesBefore = mail.GetFiles().Select(f => f.Name).Order().ToList();

        var result = await PurgeAsync(app);

        var after = await TableSnapshot.TakeAsync(app);
        var filesAfter = mail.GetFiles().Select(f => f.Name).Order().ToList();

        // What an archived review takes with it: every row that names it.
        var expected = seeded.Rows.ToHashSet();
        foreach (var row in before.Values)
        {
            if (
                seeded.ArchivedReviews.Any(id =>
                    Same(row["ReviewId"], id) || (row.Table == "Reviews" && Same(row["Id"], id))
                )
            )
            {
                expected.Add((row.Table, row.Key));
            }
        }
        var removed = before.Keys.Except(after.Keys).ToHashSet();
        Assert.True(
            expected.SetEquals(removed),
            "Expected to go but kept:\n"
                + string.Join(
                    "\n",
                    expected
                        .Except(removed)
                        .Select(k => before.GetValueOrDefault(k)?.Text ?? k.ToString())
                )
                + "\nRemoved though not expired:\n"
                + string.Join("\n", removed.Except(expected).Select(k => before[k].Text))
        );
        var changed = before
            .Keys.Intersect(after.Keys)
            .Where(k => before[k].Text != after[k].Text)
            .Select(k => $"{before[k].Text}\n  became {after[k].Text}")
            .ToList();
        Assert.True(changed.Count == 0, "Changed rows:\n" + string.Join("\n", changed));
        var added = after.Keys.Except(before.Keys).Select(k => after[k]).ToList();
        var auditRow = Assert.Single(added);
        Assert.Equal("AuditEvents", auditRow.Table);
        Assert.Equal(RetentionPurge.Action, auditRow["Action"]);
        Assert.Equal("NULL", auditRow["OrganisationId"]);
        Assert.Equal(RetentionPurge.ByCommand, auditRow["ActorName"]);
        Assert.Equal(result.Summary, auditRow["Detail"]);

        Assert.Equal(filesBefore.Where(f => f != "old.eml"), filesAfter);

        // The counts the command prints, per kind: two organisations' worth where rows belong to one.
        var counts = result.Removed.ToDictionary(r => r.Kind, r => r.Count);
        Assert.Equal(2 * 3, counts[RetentionPurge.SignInSessions]);
        Assert.Equal(2 * 3, counts[RetentionPurge.MemberInvitations]);
        Assert.Equal(2 * 2, counts[RetentionPurge.LivedExperienceInvitations]);
        Assert.Equal(2 * 2, counts[RetentionPurge.WorkshopGuests]);
        Assert.Equal(2 * 1, counts[RetentionPurge.WorkshopGuestAnswers]);
        Assert.Equal(2 * 2, counts[RetentionPurge.AccessTokens]);
        Assert.Equal(2 * 1, counts[RetentionPurge.ArchivedReviews]);
        Assert.Equal(1, counts[RetentionPurge.PickupEmails]);
        output.WriteLine(
            $"{db}: {before.Count} rows before, {after.Count} after; removed {removed.Count} rows "
                + $"({result.Summary}; the rest went with their archived reviews) in {result.Elapsed.TotalMilliseconds:0} ms"
        );

        // A second purge at the same moment finds nothing more.
        Assert.Equal(0, (await PurgeAsync(app)).Total);
    }

    [Theory, BothDatabases]
    public async Task DailyPurge_RunsTenMinutesAfterStartAndThenEachDay(Db db)
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?>(Periods) { ["Retention:DailyPurge"] = "true" }
        )
        {
            Clock = clock,
        };
        var org = await app.CreateOrganisationAsync(roles: MemberRole.Owner);
        var now = Start.UtcDateTime;
        var expired = await TokenAsync(app, org, now.AddDays(-200), now.AddDays(-101), null);
        var later = await TokenAsync(
            app,
            org,
            now.AddDays(-100),
            now.AddDays(-99) - TimeSpan.FromMinutes(30),
            null
        );

        Assert.Empty(await PurgesAsync(app));
        clock.Advance(DailyRetentionPurge.FirstRunAfter);
        await WaitForAsync(async () => (await PurgesAsync(app)).Count == 1);
        Assert.False(await app.QueryAsync(d => d.AccessTokens.AnyAsync(t => t.Id == expired)));
        Assert.True(await app.QueryAsync(d => d.AccessTokens.AnyAsync(t => t.Id == later)));

        clock.Advance(TimeSpan.FromDays(1));
        await WaitForAsync(async () => (await PurgesAsync(app)).Count == 2);
        Assert.False(await app.QueryAsync(d => d.AccessTokens.AnyAsync(t => t.Id == later)));
        var purges = await PurgesAsync(app);
        Assert.All(purges, p => Assert.Equal(RetentionPurge.BySchedule, p.ActorName));
        Assert.Contains("access tokens: 1", purges[0].Detail, StringComparison.Ordinal);
        Assert.Contains("access tokens: 1", purges[1].Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task RetentionPurgeCommand_PrintsWhatItRemovedPerKind(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: MemberRole.Owner);
        var now = DateTime.UtcNow;
        var revoked = await TokenAsync(
            app,
            org,
            now.AddDays(-400),
            now.AddDays(30),
            now.AddDays(-91)
        );
        var recent = await TokenAsync(
            app,
            org,
            now.AddDays(-400),
            now.AddDays(30),
            now.AddDays(-89)
        );
        string[] settings =
            db == Db.Sqlite
                ?
                [
                    "--Database:Provider=Sqlite",
                    $"--Database:ConnectionString=Data Source={Path.Combine(app.DataDirectory, "peisc.db")}",
                    $"--DataDirectory={app.DataDirectory}",
                ]
                :
                [
                    "--Database:Provider=Postgres",
                    $"--Database:ConnectionString={app.PostgresConnectionString}",
                    $"--DataDirectory={app.DataDirectory}",
                ];

        var run = await OperatorProcess.RunAppAsync(["retention", "purge", .. settings]);

        Assert.True(run.ExitCode == 0, run.Both);
        Assert.Contains("access tokens: 1", run.Output, StringComparison.Ordinal);
        Assert.Contains("sign-in sessions: 0", run.Output, StringComparison.Ordinal);
        Assert.Contains("emails in the pickup folder: 0", run.Output, StringComparison.Ordinal);
        Assert.False(await app.QueryAsync(d => d.AccessTokens.AnyAsync(t => t.Id == revoked)));
        Assert.True(await app.QueryAsync(d => d.AccessTokens.AnyAsync(t => t.Id == recent)));
        var purge = Assert.Single(await PurgesAsync(app));
        Assert.Equal(RetentionPurge.ByCommand, purge.ActorName);
        output.WriteLine(
            $"{db}: the command ran in {run.Elapsed.TotalSeconds:0.0} s:\n{run.Output}"
        );
    }

    private sealed class Seeded
    {
        public HashSet<(string Table, string Key)> Rows { get; } = [];
        public List<Guid> ArchivedReviews { get; } = [];
        public List<string> Emails { get; } = [];

        public void Removed(string table, Guid id) =>
            Rows.Add((table, id.ToString().ToLowerInvariant()));
    }

    // For each kind, rows just inside and just outside its period (and some that never expire),
    // recording the ones that must go.
    private static async Task SeedAsync(
        TestApp app,
        TestOrganisation org,
        DateTime now,
        Seeded seeded
    )
    {
        var user = org.Owner.Id;
        var security = new SecurityOptions();

        // Sign-in sessions (60 days after they ended).
        var sessions = now - TimeSpan.FromDays(60);
        await InOrganisationAsync(
            app,
            org.Id,
            d =>
            {
                UserSession S(DateTime created, DateTime lastSeen, DateTime? ended, bool goes)
                {
                    var s = new UserSession
                    {
                        Id = Guid.NewGuid(),
                        UserId = user,
                        OrganisationId = org.Id,
                        CreatedAt = created,
                        LastSeenAt = lastSeen,
                        EndedAt = ended,
                        UserAgent = "Test browser",
                    };
                    if (goes)
                    {
                        seeded.Removed("UserSessions", s.Id);
                    }
                    return s;
                }
                var idle = sessions - security.IdleTimeout;
                var absolute = sessions - security.AbsoluteTimeout;
                d.UserSessions.AddRange(
                    S(sessions.AddHours(-1), sessions - Margin, sessions - Margin, goes: true),
                    S(sessions.AddHours(-1), sessions + Margin, sessions + Margin, goes: false),
                    // Never signed out: it ended when it went idle, or at its absolute limit.
                    S(idle.AddHours(-1), idle - Margin, null, goes: true),
                    S(idle.AddHours(-1), idle + Margin, null, goes: false),
                    S(absolute - Margin, sessions - Margin * 3, null, goes: true),
                    S(absolute + Margin, sessions - Margin * 3, null, goes: false),
                    S(now.AddHours(-1), now, null, goes: false)
                );
            }
        );

        // Member invitations (45 days after acceptance, revocation or expiry).
        var invitations = now - TimeSpan.FromDays(45);
        await InOrganisationAsync(
            app,
            org.Id,
            d =>
            {
                Invitation I(DateTime expires, DateTime? accepted, DateTime? revoked, bool goes)
                {
                    var i = new Invitation
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        Email = $"{Guid.NewGuid():N}@example.org",
                        Role = MemberRole.Contributor,
                        TokenHash = Hash(),
                        InvitedByUserId = user,
                        CreatedAt = expires.AddDays(-7),
                        ExpiresAt = expires,
                        AcceptedAt = accepted,
                        RevokedAt = revoked,
                    };
                    if (goes)
                    {
                        seeded.Removed("Invitations", i.Id);
                    }
                    return i;
                }
                d.Invitations.AddRange(
                    I(invitations - Margin, null, null, goes: true),
                    I(invitations + Margin, null, null, goes: false),
                    I(invitations.AddDays(6), null, invitations - Margin, goes: true),
                    I(invitations.AddDays(6), null, invitations + Margin, goes: false),
                    I(invitations.AddDays(6), invitations - Margin, null, goes: true),
                    I(invitations.AddDays(6), invitations + Margin, null, goes: false),
                    I(now.AddDays(7), null, null, goes: false)
                );
            }
        );

        // Lived-experience links (120 days after revocation or expiry, unless someone answered).
        var review = await app.CreateReviewAsync(org, "Kept: a review in use");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Kept reasoning"
        );
        var voices = now - TimeSpan.FromDays(120);
        await InOrganisationAsync(
            app,
            org.Id,
            d =>
            {
                VoiceInvitation V(DateTime expires, DateTime? revoked, bool goes)
                {
                    var v = new VoiceInvitation
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        Group = Voices.Families,
                        PublicName = "Family group meetings",
                        ItemIds = "human-rights.process.1",
                        ConsentStatement = "You can withdraw at any time.",
                        SafeguardingContact = "Sam Patel, 01234 567890",
                        TokenHash = Hash(),
                        CreatedByUserId = user,
                        CreatedAt = expires.AddDays(-14),
                        ExpiresAt = expires,
                        RevokedAt = revoked,
                    };
                    if (goes)
                    {
                        seeded.Removed("VoiceInvitations", v.Id);
                    }
                    return v;
                }
                var answered = V(voices - Margin, null, goes: false);
                d.VoiceInvitations.AddRange(
                    V(voices - Margin, null, goes: true),
                    V(voices + Margin, null, goes: false),
                    V(voices.AddDays(10), voices - Margin, goes: true),
                    V(voices.AddDays(10), voices + Margin, goes: false),
                    answered
                );
                var contribution = new VoiceContribution
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = org.Id,
                    InvitationId = answered.Id,
                    ReviewId = review.Id,
                    Group = Voices.Families,
                    Name = "A parent",
                    SubmittedAt = voices.AddDays(-1),
                    WithdrawKeyHash = Hash(),
                };
                d.VoiceContributions.Add(contribution);
                d.VoiceResponses.Add(
                    new VoiceResponse
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ContributionId = contribution.Id,
                        ReviewId = review.Id,
                        ItemId = "human-rights.process.1",
                        Text = "We were not asked.",
                    }
                );
            }
        );

        // Live-session guests (14 days after the session ended; members stay).
        var guests = now - TimeSpan.FromDays(14);
        await InOrganisationAsync(
            app,
            org.Id,
            d =>
            {
                void Session(DateTime started, DateTime? ended, bool guestGoes)
                {
                    var session = new WorkshopSession
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        RoundId = review.CurrentRoundId,
                        Title = "Workshop",
                        JoinCode = WorkshopService.NewJoinCode(),
                        ItemIds = "human-rights.process.1",
                        StartedAt = started,
                        StartedByUserId = user,
                        EndedAt = ended,
                    };
                    d.WorkshopSessions.Add(session);
                    foreach (
                        var (userId, name) in new[] { ((Guid?)user, "A member"), (null, "A guest") }
                    )
                    {
                        var participant = new WorkshopParticipant
                        {
                            Id = Guid.NewGuid(),
                            OrganisationId = org.Id,
                            SessionId = session.Id,
                            UserId = userId,
                            Name = name,
                            JoinedAt = started,
                        };
                        d.WorkshopParticipants.Add(participant);
                        if (ended is null)
                        {
                            // A guest who joined a session left open never answered.
                            if (userId is null && guestGoes)
                            {
                                seeded.Removed("WorkshopParticipants", participant.Id);
                            }
                            continue;
                        }
                        var submission = new WorkshopSubmission
                        {
                            Id = Guid.NewGuid(),
                            OrganisationId = org.Id,
                            SessionId = session.Id,
                            ParticipantId = participant.Id,
                            ItemId = "human-rights.process.1",
                            Position = Position.Concern,
                            Note = name + " note",
                            SubmittedAt = started,
                        };
                        d.WorkshopSubmissions.Add(submission);
                        if (userId is null && guestGoes)
                        {
                            seeded.Removed("WorkshopParticipants", participant.Id);
                            seeded.Removed("WorkshopSubmissions", submission.Id);
                        }
                    }
                }
                Session(guests.AddHours(-2), guests - Margin, guestGoes: true);
                Session(guests.AddHours(-2), guests + Margin, guestGoes: false);
                // Left open: it ended by itself at its maximum length.
                Session(guests - WorkshopService.MaxLength - Margin, null, guestGoes: true);
                Session(guests - WorkshopService.MaxLength + Margin, null, guestGoes: false);
                Session(now.AddMinutes(-30), null, guestGoes: false);
            }
        );

        // Access tokens (100 days after revocation or expiry).
        var tokens = now - TimeSpan.FromDays(100);
        seeded.Removed(
            "AccessTokens",
            await TokenAsync(app, org, tokens.AddDays(-30), tokens - Margin, null)
        );
        await TokenAsync(app, org, tokens.AddDays(-30), tokens + Margin, null);
        seeded.Removed(
            "AccessTokens",
            await TokenAsync(app, org, tokens.AddDays(-30), now.AddDays(30), tokens - Margin)
        );
        await TokenAsync(app, org, tokens.AddDays(-30), now.AddDays(30), tokens + Margin);
        await TokenAsync(app, org, now.AddDays(-1), now.AddDays(30), null);

        // Archived reviews (2555 days after archiving), with their rounds, answers, history and actions.
        var archived = now - TimeSpan.FromDays(2555);
        foreach (var (at, goes) in new[] { (archived - Margin, true), (archived + Margin, false) })
        {
            var old = await app.CreateReviewAsync(
                org,
                goes ? "Archived long ago" : "Archived not so long ago"
            );
            await app.AnswerAsync(
                org,
                old.Id,
                "human-rights.process.1",
                Position.Addressed,
                "Old reasoning"
            );
            await app.CreateActionAsync(org, old.Id, "An old action");
            await app.QueryAsync(
                d =>
                    d.Reviews.Where(r => r.Id == old.Id)
                        .ExecuteUpdateAsync(u => u.SetProperty(r => r.ArchivedAt, at)),
                org.Id
            );
            if (goes)
            {
                seeded.ArchivedReviews.Add(old.Id);
            }
        }
    }

    private static async Task<Guid> TokenAsync(
        TestApp app,
        TestOrganisation org,
        DateTime created,
        DateTime expires,
        DateTime? revoked
    )
    {
        var id = Guid.NewGuid();
        await InOrganisationAsync(
            app,
            org.Id,
            d =>
                d.AccessTokens.Add(
                    new AccessToken
                    {
                        Id = id,
                        UserId = org.Owner.Id,
                        OrganisationId = org.Id,
                        Name = "Token",
                        TokenHash = Hash(),
                        Prefix = "peisc_" + id.ToString("N")[..6],
                        CreatedAt = created,
                        ExpiresAt = expires,
                        RevokedAt = revoked,
                    }
                )
        );
        return id;
    }

    private static async Task InOrganisationAsync(
        TestApp app,
        Guid organisationId,
        Action<AppDbContext> add
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UseOrganisation(organisationId);
        add(db);
        await db.SaveChangesAsync();
    }

    private static async Task<PurgeResult> PurgeAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope
            .ServiceProvider.GetRequiredService<RetentionPurge>()
            .PurgeAsync(RetentionPurge.ByCommand);
    }

    private static Task<List<AuditEvent>> PurgesAsync(TestApp app) =>
        app.QueryAsync(d =>
            d.AuditEvents.IgnoreQueryFilters()
                .Where(e => e.Action == RetentionPurge.Action)
                .OrderBy(e => e.Id)
                .ToListAsync()
        );

    private static string Email(DirectoryInfo folder, string name, DateTime written)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, "Subject: test\r\n\r\nBody");
        File.SetLastWriteTimeUtc(path, written);
        return path;
    }

    private static bool Same(string? column, Guid id) =>
        string.Equals(column, id.ToString(), StringComparison.OrdinalIgnoreCase);

    private static string Hash() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The daily purge did not run");
            await Task.Delay(50);
        }
    }
}
