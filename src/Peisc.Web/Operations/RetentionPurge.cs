using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Workshops;

namespace Peisc.Web.Operations;

public sealed record PurgeResult(IReadOnlyList<(string Kind, int Count)> Removed, TimeSpan Elapsed)
{
    public int Total => Removed.Sum(r => r.Count);

    public string Summary => string.Join("; ", Removed.Select(r => $"{r.Kind}: {r.Count}"));
}

/// <summary>
/// Removes what has outlived its retention period (<see cref="RetentionOptions"/>) and nothing
/// else, then records one audit row with the counts. Audit rows themselves are always kept.
/// </summary>
public sealed class RetentionPurge(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    EmailSender email,
    TimeProvider clock,
    IOptions<RetentionOptions> retention,
    IOptions<SecurityOptions> security,
    ILogger<RetentionPurge> logger
)
{
    public const string Action = "retention.purged";
    public const string ByCommand = "Retention purge (command)";
    public const string BySchedule = "Retention purge (daily)";

    public const string SignInSessions = "sign-in sessions";
    public const string MemberInvitations = "member invitations";
    public const string LivedExperienceInvitations = "lived-experience invitations";
    public const string WorkshopGuests = "live-session guests";
    public const string WorkshopGuestAnswers = "live-session guests' answers";
    public const string AccessTokens = "access tokens";
    public const string ArchivedReviews = "archived reviews";
    public const string PickupEmails = "emails in the pickup folder";

    public async Task<PurgeResult> PurgeAsync(string actorName, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var periods = retention.Value;
        var removed = new Dictionary<string, int>
        {
            [SignInSessions] = 0,
            [MemberInvitations] = 0,
            [LivedExperienceInvitations] = 0,
            [WorkshopGuests] = 0,
            [WorkshopGuestAnswers] = 0,
            [AccessTokens] = 0,
            [ArchivedReviews] = 0,
            [PickupEmails] = 0,
        };

        // The rows and the audit row that records them commit together, or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            removed[SignInSessions] = await PurgeSessionsAsync(now - periods.SignInSessions, ct);
            var tokens = now - periods.AccessTokens;
            removed[AccessTokens] = await db
                .AccessTokens.Where(t =>
                    (t.RevokedAt != null && t.RevokedAt < tokens) || t.ExpiresAt < tokens
                )
                .ExecuteDeleteAsync(ct);

            // Organisation-owned rows are purged one organisation at a time, through the tenant filter.
            var organisations = await db.Organisations.Select(o => o.Id).ToListAsync(ct);
            foreach (var organisationId in organisations)
            {
                db.UseOrganisation(organisationId);
                removed[MemberInvitations] += await PurgeInvitationsAsync(
                    now - periods.MemberInvitations,
                    ct
                );
                removed[LivedExperienceInvitations] += await PurgeVoiceInvitationsAsync(
                    now - periods.LivedExperienceInvitations,
                    ct
                );
                var (guests, answers) = await PurgeWorkshopGuestsAsync(
                    now - periods.WorkshopGuests,
                    ct
                );
                removed[WorkshopGuests] += guests;
                removed[WorkshopGuestAnswers] += answers;
                if (periods.ArchivedReviews is { } archived)
                {
                    var cutoff = now - archived;
                    // Rounds, answers, their history, actions, discussions, views, lived-experience
                    // links and contributions, and live sessions go with their review (ON DELETE CASCADE).
                    removed[ArchivedReviews] += await db
                        .Reviews.Where(r => r.ArchivedAt != null && r.ArchivedAt < cutoff)
                        .ExecuteDeleteAsync(ct);
                }
            }
            db.ActFor(member);

            // Files cannot join the transaction: they are counted now and removed after it commits.
            var emails = ExpiredEmails(now - periods.PickupEmails);
            removed[PickupEmails] = emails.Count;

            var result = new PurgeResult([.. removed.Select(r => (r.Key, r.Value))], TimeSpan.Zero);
            audit.Add(
                Action,
                detail: result.Summary,
                organisationId: null,
                actorUserId: null,
                actorName: actorName
            );
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            foreach (var file in emails)
            {
                file.Delete();
            }
            logger.LogInformation("Retention purge removed {Summary}", result.Summary);
            return result with { Elapsed = watch.Elapsed };
        }
    }

    // A session the person never signed out of ended when it timed out: idle or absolute, whichever came first.
    private Task<int> PurgeSessionsAsync(DateTime cutoff, CancellationToken ct)
    {
        var idle = cutoff - security.Value.IdleTimeout;
        var absolute = cutoff - security.Value.AbsoluteTimeout;
        return db
            .UserSessions.Where(s =>
                s.EndedAt != null
                    ? s.EndedAt < cutoff
                    : s.LastSeenAt < idle || s.CreatedAt < absolute
            )
            .ExecuteDeleteAsync(ct);
    }

    // The membership an accepted invitation created is a separate row and stays.
    private Task<int> PurgeInvitationsAsync(DateTime cutoff, CancellationToken ct) =>
        db
            .Invitations.Where(i =>
                (i.AcceptedAt != null && i.AcceptedAt < cutoff)
                || (i.RevokedAt != null && i.RevokedAt < cutoff)
                || i.ExpiresAt < cutoff
            )
            .ExecuteDeleteAsync(ct);

    // A link that gathered contributions is kept with them: they are part of the review's record,
    // and the link holds the consent statement and safeguarding contact they were given under.
    private Task<int> PurgeVoiceInvitationsAsync(DateTime cutoff, CancellationToken ct) =>
        db
            .VoiceInvitations.Where(i =>
                ((i.RevokedAt != null && i.RevokedAt < cutoff) || i.ExpiresAt < cutoff)
                && !db.VoiceContributions.Any(c => c.InvitationId == i.Id)
            )
            .ExecuteDeleteAsync(ct);

    // Guests are known only to their session; members who took part stay, as does what the team
    // agreed (recorded as answers). A session left open ends by itself after its maximum length.
    private async Task<(int Guests, int Answers)> PurgeWorkshopGuestsAsync(
        DateTime cutoff,
        CancellationToken ct
    )
    {
        var startedBefore = cutoff - WorkshopService.MaxLength;
        var ended = db.WorkshopSessions.Where(s =>
            s.EndedAt != null ? s.EndedAt < cutoff : s.StartedAt < startedBefore
        );
        var guests = db.WorkshopParticipants.Where(p =>
            p.UserId == null && ended.Any(s => s.Id == p.SessionId)
        );
        var answers = await db
            .WorkshopSubmissions.Where(s => guests.Any(g => g.Id == s.ParticipantId))
            .ExecuteDeleteAsync(ct);
        return (await guests.ExecuteDeleteAsync(ct), answers);
    }

    private List<FileInfo> ExpiredEmails(DateTime cutoff)
    {
        var folder = new DirectoryInfo(email.PickupDirectory);
        return folder.Exists
            ? [.. folder.EnumerateFiles("*.eml").Where(f => f.LastWriteTimeUtc < cutoff)]
            : [];
    }
}
