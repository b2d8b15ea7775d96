using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Workshops;

public sealed record TallyRow(Position Position, string Label, int Count);

public sealed record TallyNote(string Name, Position Position, string PositionLabel, string Note);

/// <summary>Where the room stands on one item: a count for every position, and the notes people left.</summary>
public sealed record Tally(
    string ItemId,
    int Total,
    IReadOnlyList<TallyRow> Rows,
    IReadOnlyList<TallyNote> Notes
);

/// <summary>Starting, joining and running a live session. Every change is pushed to the session's screens.</summary>
public sealed class WorkshopService(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    TimeProvider clock,
    IHubContext<WorkshopHub> hub
)
{
    // No 0/O, 1/I/L: read off a projector and typed on a phone. 31^8 is about 8.5e11 codes.
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>A session nobody ends stops taking new participants after this long.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(12);

    public static IReadOnlyList<Position> Choices { get; } =
    [Position.Addressed, Position.PartlyAddressed, Position.Concern, Position.NotApplicable];

    public static string NewJoinCode() =>
        RandomNumberGenerator.GetString(CodeAlphabet, WorkshopLimits.JoinCodeLength);

    /// <summary>What someone typed, as the stored code: capitals, without spaces or dashes.</summary>
    public static string NormaliseCode(string? typed) =>
        new(
            (typed ?? "").ToUpperInvariant().Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()
        );

    public static string DisplayCode(string code) =>
        code.Length == 8 ? $"{code[..4]}-{code[4..]}" : code;

    /// <summary>Everyone in the session: item, timer and end.</summary>
    public static string Group(Guid sessionId) => "workshop:" + sessionId.ToString("N");

    /// <summary>The console and the projector, which also get the tally.</summary>
    public static string ScreensGroup(Guid sessionId) => Group(sessionId) + ":screens";

    public bool IsActive(WorkshopSession session) =>
        session.EndedAt is null && clock.GetUtcNow().UtcDateTime - session.StartedAt < MaxLength;

    public async Task<WorkshopSession> StartAsync(
        Review review,
        string title,
        IReadOnlyList<string> itemIds,
        CancellationToken ct = default
    )
    {
        var session = new WorkshopSession
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            RoundId = review.CurrentRoundId,
            Title = title,
            JoinCode = NewJoinCode(),
            ItemIds = string.Join(' ', itemIds),
            StartedAt = clock.GetUtcNow().UtcDateTime,
            StartedByUserId = member.UserId!.Value,
        };
        db.WorkshopSessions.Add(session);
        audit.Add(
            "workshop.started",
            nameof(WorkshopSession),
            session.Id.ToString(),
            $"'{title}' on review '{review.Title}', {itemIds.Count} items"
        );
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>
    /// The one look-up across organisations: a join code is typed by someone who may not be signed in,
    /// so the organisation is not known until the code is found.
    /// </summary>
    public async Task<WorkshopSession?> FindByCodeAsync(string? typed, CancellationToken ct)
    {
        var code = NormaliseCode(typed);
        if (
            code.Length != WorkshopLimits.JoinCodeLength
            || code.Any(c => !CodeAlphabet.Contains(c))
        )
        {
            return null;
        }
        var since = clock.GetUtcNow().UtcDateTime - MaxLength;
        return await db
            .WorkshopSessions.IgnoreQueryFilters()
            .AsNoTracking()
            .SingleOrDefaultAsync(
                s => s.JoinCode == code && s.EndedAt == null && s.StartedAt > since,
                ct
            );
    }

    /// <summary>
    /// A member joins as themselves: joining twice, even twice at once (a double tap), finds the same
    /// participant.
    /// </summary>
    public Task<WorkshopParticipant> JoinAsMemberAsync(
        WorkshopSession session,
        CancellationToken ct
    ) => db.OnceMoreIfRacedAsync(() => JoinAsMemberOnceAsync(session, ct), ct);

    private async Task<WorkshopParticipant> JoinAsMemberOnceAsync(
        WorkshopSession session,
        CancellationToken ct
    )
    {
        var existing = await db.WorkshopParticipants.SingleOrDefaultAsync(
            p => p.SessionId == session.Id && p.UserId == member.UserId,
            ct
        );
        if (existing is not null)
        {
            return existing;
        }
        var participant = new WorkshopParticipant
        {
            Id = Guid.NewGuid(),
            OrganisationId = session.OrganisationId,
            SessionId = session.Id,
            UserId = member.UserId,
            Name = Truncate(member.DisplayName ?? "Member", WorkshopLimits.Name),
            JoinedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WorkshopParticipants.Add(participant);
        audit.Add(
            "workshop.joined",
            nameof(WorkshopSession),
            session.Id.ToString(),
            participant.Name
        );
        await db.SaveChangesAsync(ct);
        return participant;
    }

    /// <summary>A guest: the caller has already chosen the session's organisation on the DbContext.</summary>
    public async Task<WorkshopParticipant> JoinAsGuestAsync(
        WorkshopSession session,
        string name,
        CancellationToken ct
    )
    {
        var participant = new WorkshopParticipant
        {
            Id = Guid.NewGuid(),
            OrganisationId = session.OrganisationId,
            SessionId = session.Id,
            Name = name,
            JoinedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WorkshopParticipants.Add(participant);
        audit.Add(
            "workshop.guest-joined",
            nameof(WorkshopSession),
            session.Id.ToString(),
            name,
            organisationId: session.OrganisationId,
            actorName: name + " (guest)"
        );
        await db.SaveChangesAsync(ct);
        return participant;
    }

    /// <summary>Records or replaces a participant's position on the current item. Null when it was saved.</summary>
    public async Task<FieldError?> SubmitAsync(
        WorkshopSession session,
        WorkshopParticipant participant,
        string? itemId,
        Position? position,
        string? note,
        CancellationToken ct
    )
    {
        if (!IsActive(session))
        {
            return new("Position", "This session has ended");
        }
        if (itemId != session.CurrentItemId)
        {
            return new(
                "Position",
                "The facilitator has moved to another item: your answer was not saved, so answer the item shown now"
            );
        }
        if (position is not { } chosen || !Choices.Contains(chosen))
        {
            return new("Position", "Select where you stand on this item");
        }
        note = ReviewRules.Clean(note);
        if (note is { Length: > WorkshopLimits.Note })
        {
            return new("Note", $"Your note must be {WorkshopLimits.Note} characters or fewer");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var submission = await db.WorkshopSubmissions.SingleOrDefaultAsync(
            s => s.ParticipantId == participant.Id && s.ItemId == itemId,
            ct
        );
        if (submission is null)
        {
            submission = new WorkshopSubmission
            {
                Id = Guid.NewGuid(),
                OrganisationId = session.OrganisationId,
                SessionId = session.Id,
                ParticipantId = participant.Id,
                ItemId = itemId,
                Position = chosen,
                Note = note,
                SubmittedAt = now,
            };
            db.WorkshopSubmissions.Add(submission);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (!ct.IsCancellationRequested)
            {
                // A double tap: the same person's first answer landed a moment ago. Replace it, as a second answer does.
                db.Entry(submission).State = EntityState.Detached;
                var replaced = await db
                    .WorkshopSubmissions.Where(s =>
                        s.ParticipantId == participant.Id && s.ItemId == itemId
                    )
                    .ExecuteUpdateAsync(
                        u =>
                            u.SetProperty(s => s.Position, chosen)
                                .SetProperty(s => s.Note, note)
                                .SetProperty(s => s.SubmittedAt, now),
                        ct
                    );
                if (replaced == 0)
                {
                    throw;
                }
            }
        }
        else
        {
            submission.Position = chosen;
            submission.Note = note;
            submission.SubmittedAt = now;
            await db.SaveChangesAsync(ct);
        }
        // Counts and notes go only to the screens (console and projector), and without names.
        var tally = await TallyAsync(session.Id, itemId, ct);
        await hub
            .Clients.Group(ScreensGroup(session.Id))
            .SendAsync(
                "tally",
                new
                {
                    itemId,
                    total = tally.Total,
                    counts = tally.Rows.ToDictionary(r => r.Position.ToString(), r => r.Count),
                    notes = tally.Notes.Select(n => new
                    {
                        position = n.PositionLabel,
                        note = n.Note,
                    }),
                },
                ct
            );
        return null;
    }

    /// <summary>Moves to an item by its place in the list; moving to where the session already is changes nothing.</summary>
    public async Task MoveAsync(WorkshopSession session, int to, CancellationToken ct)
    {
        to = Math.Clamp(to, 0, session.Items.Count - 1);
        if (to == session.CurrentIndex)
        {
            return;
        }
        session.CurrentIndex = to;
        audit.Add(
            "workshop.moved",
            nameof(WorkshopSession),
            session.Id.ToString(),
            $"To item {to + 1} of {session.Items.Count}"
        );
        await db.SaveChangesAsync(ct);
        await hub
            .Clients.Group(Group(session.Id))
            .SendAsync(
                "item",
                new
                {
                    index = to,
                    count = session.Items.Count,
                    itemId = session.CurrentItemId,
                },
                ct
            );
    }

    public async Task SetTimerAsync(WorkshopSession session, int? minutes, CancellationToken ct)
    {
        session.TimerEndsAt = minutes is { } m ? clock.GetUtcNow().UtcDateTime.AddMinutes(m) : null;
        audit.Add(
            minutes is null ? "workshop.timer-stopped" : "workshop.timer-started",
            nameof(WorkshopSession),
            session.Id.ToString(),
            minutes is { } length ? $"{length} minutes" : null
        );
        await db.SaveChangesAsync(ct);
        await hub
            .Clients.Group(Group(session.Id))
            .SendAsync("timer", new { endsAt = session.TimerEndsAt }, ct);
    }

    public async Task EndAsync(WorkshopSession session, CancellationToken ct)
    {
        session.EndedAt = clock.GetUtcNow().UtcDateTime;
        session.TimerEndsAt = null;
        audit.Add("workshop.ended", nameof(WorkshopSession), session.Id.ToString(), session.Title);
        await db.SaveChangesAsync(ct);
        await hub.Clients.Group(Group(session.Id)).SendAsync("ended", new { }, ct);
    }

    public void AuditAgreed(WorkshopSession session, Item item, Position position) =>
        audit.Add(
            "workshop.position-agreed",
            nameof(WorkshopSession),
            session.Id.ToString(),
            $"{item.Id}: {Labels.Of(position)}"
        );

    public async Task<Tally> TallyAsync(Guid sessionId, string itemId, CancellationToken ct)
    {
        var rows = await (
            from s in db.WorkshopSubmissions.AsNoTracking()
            where s.SessionId == sessionId && s.ItemId == itemId
            join p in db.WorkshopParticipants.AsNoTracking() on s.ParticipantId equals p.Id
            orderby s.SubmittedAt
            select new
            {
                s.Position,
                s.Note,
                p.Name,
            }
        ).ToListAsync(ct);
        return new Tally(
            itemId,
            rows.Count,
            Choices
                .Select(c => new TallyRow(c, Labels.Of(c), rows.Count(r => r.Position == c)))
                .ToList(),
            rows.Where(r => r.Note is not null)
                .Select(r => new TallyNote(r.Name, r.Position, Labels.Of(r.Position), r.Note!))
                .ToList()
        );
    }

    public static (Cell Cell, Item Item)? Find(FrameworkEdition edition, string itemId)
    {
        foreach (var cell in edition.AllCells)
        {
            foreach (var item in cell.Items)
            {
                if (item.Id == itemId)
                {
                    return (cell, item);
                }
            }
        }
        return null;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
