using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Reviews;

public abstract record SaveOutcome
{
    public sealed record Saved(Answer Answer) : SaveOutcome;

    /// <summary>Someone saved first: the caller shows both texts and lets the person choose.</summary>
    public sealed record Conflict(Answer? Current) : SaveOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : SaveOutcome;
}

/// <summary>The writes that the review pages and the API share, so both keep the same rules and records.</summary>
public sealed class ReviewService(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    Notifier notifier,
    IHttpContextAccessor http,
    IServiceProvider services,
    TimeProvider clock
)
{
    public async Task<Review> CreateAsync(
        ReviewInput input,
        FrameworkEdition edition,
        CancellationToken ct = default
    )
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var review = new Review
        {
            Id = Guid.NewGuid(),
            OrganisationId = member.OrganisationId!.Value,
            Title = input.Title!.Trim(),
            Innovation = input.Innovation!.Trim(),
            ServiceArea = input.ServiceArea!.Value,
            SituationId = input.SituationId!,
            EditionId = edition.Id,
            Partners = ReviewRules.Clean(input.Partners),
            CreatedAt = now,
            CreatedByUserId = member.UserId!.Value,
            UpdatedAt = now,
            CurrentRoundNumber = 1,
            CurrentStageId = input.StageId!,
            ItemCount = edition.AllCells.Sum(c => c.Items.Count),
        };
        var round = new Round
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            Number = 1,
            StageId = input.StageId!,
            StartedAt = now,
            StartedByUserId = review.CreatedByUserId,
        };
        review.CurrentRoundId = round.Id;
        db.Reviews.Add(review);
        db.Rounds.Add(round);
        audit.Add(
            "review.created",
            nameof(Review),
            review.Id.ToString(),
            $"'{review.Title}' at {round.StageId}"
        );
        await db.SaveChangesAsync(ct);
        return review;
    }

    public async Task UpdateDetailsAsync(
        Review review,
        ReviewInput input,
        CancellationToken ct = default
    )
    {
        review.Title = input.Title!.Trim();
        review.Innovation = input.Innovation!.Trim();
        review.ServiceArea = input.ServiceArea!.Value;
        review.SituationId = input.SituationId!;
        review.Partners = ReviewRules.Clean(input.Partners);
        review.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(
            "review.updated",
            nameof(Review),
            review.Id.ToString(),
            $"Details of '{review.Title}'"
        );
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Saves one item's answer if the form's version is still the latest. Every saved version is kept
    /// in AnswerChanges and the audit trail; nothing is ever overwritten silently.
    /// </summary>
    public async Task<SaveOutcome> SaveAnswerAsync(
        Review review,
        Round round,
        Cell cell,
        Item item,
        AnswerInput input,
        int expectedVersion,
        CancellationToken ct = default
    )
    {
        if (
            round.FrozenAt is not null
            || round.Id != review.CurrentRoundId
            || review.ArchivedAt is not null
        )
        {
            return new SaveOutcome.Invalid([
                new(
                    "Round",
                    "This round is closed: answers can be changed only in the current round of an open review"
                ),
            ]);
        }
        var errors = ReviewRules.Check(input);
        if (errors.Count > 0)
        {
            return new SaveOutcome.Invalid(errors);
        }
        var clean = input with
        {
            NotApplicableReason =
                input.Position == Position.NotApplicable
                    ? ReviewRules.Clean(input.NotApplicableReason)
                    : null,
            Reasoning = ReviewRules.Clean(input.Reasoning),
            Evidence = ReviewRules.Clean(input.Evidence),
            Dissent = ReviewRules.Clean(input.Dissent),
        };

        var answer = await db
            .Answers.AsNoTracking()
            .SingleOrDefaultAsync(a => a.RoundId == round.Id && a.ItemId == item.Id, ct);
        if ((answer?.Version ?? 0) != expectedVersion)
        {
            return new SaveOutcome.Conflict(answer);
        }
        if (answer is not null && Same(answer, clean))
        {
            return new SaveOutcome.Saved(answer);
        }
        // An item nobody has touched stays without a row: "not yet considered" is the absence of an answer.
        if (answer is null && Same(Untouched, clean))
        {
            return new SaveOutcome.Saved(Untouched);
        }

        var write = new AnswerWrite(
            review.OrganisationId,
            review.Id,
            round.Id,
            cell.Id,
            item.Id,
            clean,
            expectedVersion,
            clock.GetUtcNow().UtcDateTime,
            member.UserId!.Value,
            member.DisplayName,
            http.HttpContext?.TraceIdentifier
        );
        // SQLite: the shared writer commits saves in groups (see SqliteAnswerWriter). A caller that has
        // changes of its own waiting (an audit row, say) commits them with the answer, on its context.
        if (
            services.GetService<SqliteAnswerWriter>() is { } queue
            && db.Database.IsSqlite()
            && !db.ChangeTracker.HasChanges()
        )
        {
            return await queue.SaveAsync(write, ct);
        }
        return await CommitAnswerAsync(write, ct);
    }

    private async Task<SaveOutcome> CommitAnswerAsync(AnswerWrite write, CancellationToken ct)
    {
        // One transaction for the answer, its history, the audit row and the counts: one durable commit.
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // Taking the review's row first queues concurrent saves on one review, so each recount sees
            // every earlier commit (PostgreSQL's read-committed snapshots would otherwise miss some).
            await db
                .Reviews.Where(r => r.Id == write.ReviewId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.UpdatedAt, write.Now), ct);
            var outcome = await write.WriteAsync(db, ct);
            await transaction.CommitAsync(ct);
            return outcome;
        }
        catch (DbUpdateException)
        {
            // Another save won the race between our read and our write (concurrency token or unique index).
            await transaction.DisposeAsync();
            db.ChangeTracker.Clear();
            var current = await db
                .Answers.AsNoTracking()
                .SingleOrDefaultAsync(
                    a => a.RoundId == write.RoundId && a.ItemId == write.ItemId,
                    ct
                );
            return new SaveOutcome.Conflict(current);
        }
        finally
        {
            await transaction.DisposeAsync();
        }
    }

    /// <summary>Moves the review to a new stage: the current round is frozen, its answers carried forward.</summary>
    public async Task<Round> StartRoundAsync(
        Review review,
        string stageId,
        CancellationToken ct = default
    )
    {
        // Callers answer these cases with their own messages; this is the last line, not the first.
        EnsureOpen(review);
        var now = clock.GetUtcNow().UtcDateTime;
        var current = await db.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId, ct);
        current.FrozenAt = now;
        var next = new Round
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            Number = current.Number + 1,
            StageId = stageId,
            StartedAt = now,
            StartedByUserId = member.UserId!.Value,
        };
        db.Rounds.Add(next);
        var carried = await db
            .Answers.AsNoTracking()
            .Where(a => a.RoundId == current.Id)
            .ToListAsync(ct);
        foreach (var old in carried)
        {
            db.Answers.Add(
                new Answer
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = old.OrganisationId,
                    ReviewId = old.ReviewId,
                    RoundId = next.Id,
                    CellId = old.CellId,
                    ItemId = old.ItemId,
                    Position = old.Position,
                    NotApplicableReason = old.NotApplicableReason,
                    Reasoning = old.Reasoning,
                    Evidence = old.Evidence,
                    Voices = old.Voices,
                    Dissent = old.Dissent,
                    Version = 1,
                    UpdatedAt = old.UpdatedAt,
                    UpdatedByUserId = old.UpdatedByUserId,
                    UpdatedByName = old.UpdatedByName,
                }
            );
        }
        review.CurrentRoundId = next.Id;
        review.CurrentRoundNumber = next.Number;
        review.CurrentStageId = stageId;
        review.UpdatedAt = now;
        audit.Add(
            "round.started",
            nameof(Round),
            next.Id.ToString(),
            $"Round {next.Number} of '{review.Title}' at {stageId}; round {current.Number} frozen"
        );
        await db.SaveChangesAsync(ct);
        return next;
    }

    public async Task<ReviewAction> CreateActionAsync(
        Review review,
        ActionInput input,
        CancellationToken ct = default
    )
    {
        EnsureOpen(review);
        var now = clock.GetUtcNow().UtcDateTime;
        var action = new ReviewAction
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            Title = input.Title!.Trim(),
            CreatedAt = now,
            CreatedByUserId = member.UserId!.Value,
            OpenedInRound = review.CurrentRoundNumber,
            Version = 1,
        };
        Apply(action, input, review, now);
        db.Actions.Add(action);
        review.UpdatedAt = now;
        audit.Add(
            "action.created",
            nameof(ReviewAction),
            action.Id.ToString(),
            $"'{action.Title}' ({action.Status})"
        );
        await db.SaveChangesAsync(ct);
        await NotifyOwnerAsync(review, action, previousOwner: null, ct);
        return action;
    }

    // Someone given an action by someone else hears about it (unless they turned that email off).
    private async Task NotifyOwnerAsync(
        Review review,
        ReviewAction action,
        Guid? previousOwner,
        CancellationToken ct
    )
    {
        if (
            action.OwnerUserId is not { } owner
            || owner == previousOwner
            || owner == member.UserId
            || action.Status is ActionStatus.Done or ActionStatus.Dropped
        )
        {
            return;
        }
        await notifier.SendAsync(
            owner,
            NotificationKind.ActionAssigned,
            $"An action for you: {action.Title}",
            $"{member.DisplayName} gave you the action \"{action.Title}\" in the review \"{review.Title}\""
                + (action.DueDate is { } due ? $", due on {due:d MMMM yyyy}." : ".")
                + $"\n\nSee it at {notifier.Link($"/reviews/{review.Id}/actions")}",
            ct
        );
    }

    /// <summary>Updates an action if the version is still the latest; returns false on a conflict.</summary>
    public async Task<bool> UpdateActionAsync(
        Review review,
        ReviewAction action,
        ActionInput input,
        int expectedVersion,
        CancellationToken ct = default
    )
    {
        EnsureOpen(review);
        if (action.ReviewId != review.Id)
        {
            throw new InvalidOperationException("The action belongs to another review.");
        }
        if (action.Version != expectedVersion)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var before = action.Status;
        var previousOwner = action.OwnerUserId;
        action.Title = input.Title!.Trim();
        Apply(action, input, review, now);
        action.Version++;
        review.UpdatedAt = now;
        audit.Add(
            "action.updated",
            nameof(ReviewAction),
            action.Id.ToString(),
            $"'{action.Title}': {before} to {action.Status}"
        );
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        await NotifyOwnerAsync(review, action, previousOwner, ct);
        return true;
    }

    public async Task SetArchivedAsync(Review review, bool archived, CancellationToken ct = default)
    {
        review.ArchivedAt = archived ? clock.GetUtcNow().UtcDateTime : null;
        audit.Add(
            archived ? "review.archived" : "review.reopened",
            nameof(Review),
            review.Id.ToString(),
            $"'{review.Title}'"
        );
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteAsync(Review review, CancellationToken ct = default)
    {
        // The audit row names what went: the review itself, its rounds, answers, history and actions, are gone.
        audit.Add(
            "review.deleted",
            nameof(Review),
            review.Id.ToString(),
            $"'{review.Title}' and all its rounds, answers and actions"
        );
        await db.SaveChangesAsync(ct);
        await db.AnswerChanges.Where(c => c.ReviewId == review.Id).ExecuteDeleteAsync(ct);
        await db.Answers.Where(a => a.ReviewId == review.Id).ExecuteDeleteAsync(ct);
        await db.Actions.Where(a => a.ReviewId == review.Id).ExecuteDeleteAsync(ct);
        await db.Rounds.Where(r => r.ReviewId == review.Id).ExecuteDeleteAsync(ct);
        await db.Reviews.Where(r => r.Id == review.Id).ExecuteDeleteAsync(ct);
    }

    private static void EnsureOpen(Review review)
    {
        if (review.ArchivedAt is not null)
        {
            throw new InvalidOperationException(
                $"Review {review.Id} is archived: reopen it before changing it."
            );
        }
    }

    private static void Apply(ReviewAction action, ActionInput input, Review review, DateTime now)
    {
        action.OwnerUserId = input.OwnerUserId;
        action.OwnerName = input.OwnerUserId is null ? ReviewRules.Clean(input.OwnerName) : null;
        action.DueDate = input.DueDate?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        action.ItemIds = string.Join(' ', input.ItemIds.Distinct());
        var closing = input.Status is ActionStatus.Done or ActionStatus.Dropped;
        if (closing && action.ClosedAt is null)
        {
            action.ClosedAt = now;
            action.ClosedInRound = review.CurrentRoundNumber;
        }
        else if (!closing)
        {
            action.ClosedAt = null;
            action.ClosedInRound = null;
        }
        action.Status = input.Status;
    }

    private static Answer Untouched =>
        new()
        {
            CellId = "",
            ItemId = "",
            Position = Position.NotYetConsidered,
        };

    private static bool Same(Answer a, AnswerInput b) =>
        a.Position == b.Position
        && a.NotApplicableReason == b.NotApplicableReason
        && a.Reasoning == b.Reasoning
        && a.Evidence == b.Evidence
        && a.Voices == b.Voices
        && a.Dissent == b.Dissent;
}
