using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>
/// UK GDPR (trust.md R6): a person's data as one JSON file, and its erasure.
/// Erasure deletes their account, sessions, tokens, memberships, invitations and what they wrote in
/// personal spaces (their individual reflections, their live-session notes). Team records they took
/// part in (agreed answers and their history, comments, actions, reviews they started) are kept,
/// because the team owns them, and attributed to "Former member". Audit rows keep their place in the
/// chain with the personal fields blanked (see <see cref="AuditChain"/>).
/// </summary>
public sealed class PersonalData(AppDbContext db, TimeProvider clock)
{
    public const string FormerMember = "Former member";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public async Task<byte[]> ExportAsync(Guid userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var memberships = await db
            .Memberships.IgnoreQueryFilters()
            .AsNoTracking()
            .Where(m => m.UserId == userId)
            .Select(m => new
            {
                Organisation = m.Organisation!.Name,
                Role = m.Role.ToString(),
                m.CreatedAt,
            })
            .ToListAsync(ct);
        var document = new
        {
            Format = "peisc-personal-data",
            ExportedAt = clock.GetUtcNow().UtcDateTime,
            Account = new
            {
                user.Id,
                user.Email,
                user.DisplayName,
                user.PhoneNumber,
                user.CreatedAt,
                user.TwoFactorEnabled,
                user.LockoutEnd,
                user.AccessFailedCount,
                Notifications = new
                {
                    Mentions = user.NotifyMentions,
                    ActionsAssigned = user.NotifyActionsAssigned,
                    ActionsDueSoon = user.NotifyActionsDueSoon,
                },
            },
            Memberships = memberships,
            Sessions = await db
                .UserSessions.AsNoTracking()
                .Where(s => s.UserId == userId)
                .OrderBy(s => s.CreatedAt)
                .Select(s => new
                {
                    s.CreatedAt,
                    s.LastSeenAt,
                    s.EndedAt,
                    s.UserAgent,
                })
                .ToListAsync(ct),
            AccessTokens = await db
                .AccessTokens.AsNoTracking()
                .Where(t => t.UserId == userId)
                .Select(t => new
                {
                    t.Name,
                    t.Prefix,
                    t.CreatedAt,
                    t.ExpiresAt,
                    t.RevokedAt,
                    t.LastUsedAt,
                })
                .ToListAsync(ct),
            IndividualReflections = await db
                .IndividualViews.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(v => v.UserId == userId)
                .Select(v => new
                {
                    v.ReviewId,
                    v.ItemId,
                    Position = v.Position.ToString(),
                    v.Reasoning,
                    v.MinorityView,
                    v.UpdatedAt,
                })
                .ToListAsync(ct),
            Comments = await db
                .Comments.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(c => c.AuthorUserId == userId)
                .Select(c => new
                {
                    c.ReviewId,
                    c.ItemId,
                    c.Body,
                    c.CreatedAt,
                })
                .ToListAsync(ct),
            AnswersSaved = await db
                .AnswerChanges.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(a => a.ChangedByUserId == userId)
                .OrderBy(a => a.Id)
                .Select(a => new
                {
                    a.ReviewId,
                    a.ItemId,
                    a.Version,
                    Position = a.Position.ToString(),
                    a.Reasoning,
                    a.Evidence,
                    a.Dissent,
                    a.ChangedAt,
                })
                .ToListAsync(ct),
            ActionsOwned = await db
                .Actions.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(a => a.OwnerUserId == userId)
                .Select(a => new
                {
                    a.ReviewId,
                    a.Title,
                    a.DueDate,
                    Status = a.Status.ToString(),
                })
                .ToListAsync(ct),
            LiveSessionAnswers = await (
                from p in db.WorkshopParticipants.IgnoreQueryFilters()
                join s in db.WorkshopSubmissions.IgnoreQueryFilters() on p.Id equals s.ParticipantId
                where p.UserId == userId
                select new
                {
                    s.ItemId,
                    Position = s.Position.ToString(),
                    s.Note,
                    s.SubmittedAt,
                }
            )
                .AsNoTracking()
                .ToListAsync(ct),
            AuditTrail = await db
                .AuditEvents.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(e => e.ActorUserId == userId)
                .OrderBy(e => e.Id)
                .Select(e => new
                {
                    e.OccurredAt,
                    e.Action,
                    e.EntityType,
                    e.EntityId,
                    e.Detail,
                })
                .ToListAsync(ct),
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, Json);
    }

    /// <summary>Erases the person; returns how many audit rows were redacted.</summary>
    public async Task<int> EraseAsync(AppUser user, string erasedBy, CancellationToken ct = default)
    {
        var id = user.Id;
        var idText = id.ToString();
        var name = user.DisplayName;
        var email = (user.Email ?? user.UserName ?? idText).ToLowerInvariant();
        var none = Guid.Empty;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // What they alone wrote, in spaces of their own.
        await db
            .IndividualViews.IgnoreQueryFilters()
            .Where(v => v.UserId == id)
            .ExecuteDeleteAsync(ct);
        // Their live-session answers go with them (the database cascades to submissions).
        await db
            .WorkshopParticipants.IgnoreQueryFilters()
            .Where(p => p.UserId == id)
            .ExecuteDeleteAsync(ct);
        await db.AccessTokens.Where(t => t.UserId == id).ExecuteDeleteAsync(ct);
        await db.UserSessions.Where(s => s.UserId == id).ExecuteDeleteAsync(ct);
        await db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == id).ExecuteDeleteAsync(ct);
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(), where culture does not apply.
        await db
            .Invitations.IgnoreQueryFilters()
            .Where(i => i.Email.ToLower() == email)
            .ExecuteDeleteAsync(ct);
#pragma warning restore CA1304, CA1311, CA1862
        await db.UserTokens.Where(t => t.UserId == id).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(c => c.UserId == id).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => l.UserId == id).ExecuteDeleteAsync(ct);

        // Team records stay with the team, attributed to a former member.
        await db
            .Answers.IgnoreQueryFilters()
            .Where(a => a.UpdatedByUserId == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(a => a.UpdatedByUserId, none)
                        .SetProperty(a => a.UpdatedByName, FormerMember),
                ct
            );
        await db
            .AnswerChanges.IgnoreQueryFilters()
            .Where(a => a.ChangedByUserId == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(a => a.ChangedByUserId, none)
                        .SetProperty(a => a.ChangedByName, FormerMember),
                ct
            );
        await db
            .Comments.IgnoreQueryFilters()
            .Where(c => c.AuthorUserId == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(c => c.AuthorUserId, none)
                        .SetProperty(c => c.AuthorName, FormerMember),
                ct
            );
        var mentioning = await db
            .Comments.IgnoreQueryFilters()
            .Where(c => c.MentionedUserIds.Contains(idText))
            .ToListAsync(ct);
        foreach (var comment in mentioning)
        {
            comment.MentionedUserIds = string.Join(
                ' ',
                comment.MentionedUserIds.Split(' ').Where(m => m != idText)
            );
        }
        await db
            .Actions.IgnoreQueryFilters()
            .Where(a => a.OwnerUserId == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(a => a.OwnerUserId, (Guid?)null)
                        .SetProperty(a => a.OwnerName, FormerMember),
                ct
            );
        await db
            .Actions.IgnoreQueryFilters()
            .Where(a => a.CreatedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.CreatedByUserId, none), ct);
        await db
            .Reviews.IgnoreQueryFilters()
            .Where(r => r.CreatedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CreatedByUserId, none), ct);
        await db
            .Rounds.IgnoreQueryFilters()
            .Where(r => r.StartedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.StartedByUserId, none), ct);
        await db
            .Reflections.IgnoreQueryFilters()
            .Where(r => r.OpenedByName == name)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.OpenedByName, FormerMember), ct);
        await db
            .Reflections.IgnoreQueryFilters()
            .Where(r => r.RevealedByName == name)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.RevealedByName, FormerMember), ct);
        await db
            .CommentThreads.IgnoreQueryFilters()
            .Where(t => t.ResolvedByName == name)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.ResolvedByName, FormerMember), ct);
        await db
            .OrganisationEditions.IgnoreQueryFilters()
            .Where(e => e.UploadedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.UploadedByUserId, none), ct);
        await db
            .PlainLanguageTexts.IgnoreQueryFilters()
            .Where(p => p.UpdatedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.UpdatedByUserId, none), ct);
        await db
            .VoiceInvitations.IgnoreQueryFilters()
            .Where(v => v.CreatedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.CreatedByUserId, none), ct);
        await db
            .WorkshopSessions.IgnoreQueryFilters()
            .Where(s => s.StartedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartedByUserId, none), ct);
        await db
            .Invitations.IgnoreQueryFilters()
            .Where(i => i.InvitedByUserId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.InvitedByUserId, none), ct);

        var redacted = await RedactAuditAsync(id, idText, name, email, ct);
        db.AuditEvents.Add(
            new AuditEvent
            {
                OccurredAt = clock.GetUtcNow().UtcDateTime,
                ActorName = erasedBy,
                Action = AuditChain.ErasureAction,
                // The count lives in the entity id, which the chain's verification adds up.
                EntityType = nameof(AuditEvent),
                EntityId = redacted.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Detail =
                    $"A person's account and personal data were erased; {redacted} audit rows redacted",
            }
        );
        await db.SaveChangesAsync(ct);
        await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return redacted;
    }

    // Each personal field that names them becomes null; the trigger allows exactly this change.
    private async Task<int> RedactAuditAsync(
        Guid id,
        string idText,
        string name,
        string email,
        CancellationToken ct
    )
    {
        var rows = db.AuditEvents.IgnoreQueryFilters();
        var before = await rows.CountAsync(e => e.Redacted, ct);
        await rows.Where(e => e.ActorUserId == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(e => e.ActorUserId, (Guid?)null)
                        .SetProperty(e => e.Redacted, true),
                ct
            );
        await rows.Where(e => e.ActorName == name)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(e => e.ActorName, (string?)null)
                        .SetProperty(e => e.Redacted, true),
                ct
            );
        await rows.Where(e => e.EntityId == idText)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(e => e.EntityId, (string?)null)
                        .SetProperty(e => e.Redacted, true),
                ct
            );
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(), where culture does not apply.
        await rows.Where(e =>
                e.Detail != null
                && (
                    e.Detail.ToLower().Contains(email)
                    || e.Detail.Contains(name)
                    || e.Detail.Contains(idText)
                )
            )
            .ExecuteUpdateAsync(
                u => u.SetProperty(e => e.Detail, (string?)null).SetProperty(e => e.Redacted, true),
                ct
            );
#pragma warning restore CA1304, CA1311, CA1862
        return await rows.CountAsync(e => e.Redacted, ct) - before;
    }
}
