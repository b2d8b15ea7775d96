using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Reviews;

/// <summary>
/// One answer to write, with everything the write needs decided beforehand (checked input, who, when,
/// the version it was made from), so that it can run on any context: the request's own on PostgreSQL,
/// or the shared writer's on SQLite (<see cref="SqliteAnswerWriter"/>).
/// </summary>
public sealed record AnswerWrite(
    Guid OrganisationId,
    Guid ReviewId,
    Guid RoundId,
    string CellId,
    string ItemId,
    AnswerInput Input,
    int ExpectedVersion,
    DateTime Now,
    Guid UserId,
    string? UserName,
    string? CorrelationId
)
{
    /// <summary>
    /// Writes the answer, its history row, its audit row and the review's counts through
    /// <paramref name="db"/>, which must act for the answer's organisation and be inside a transaction.
    /// A version that is no longer the latest writes nothing and answers with a conflict.
    /// </summary>
    public async Task<SaveOutcome> WriteAsync(AppDbContext db, CancellationToken ct)
    {
        var answer = await db.Answers.SingleOrDefaultAsync(
            a => a.RoundId == RoundId && a.ItemId == ItemId,
            ct
        );
        if ((answer?.Version ?? 0) != ExpectedVersion)
        {
            return new SaveOutcome.Conflict(answer);
        }
        if (answer is null)
        {
            answer = new Answer
            {
                Id = Guid.NewGuid(),
                OrganisationId = OrganisationId,
                ReviewId = ReviewId,
                RoundId = RoundId,
                CellId = CellId,
                ItemId = ItemId,
            };
            db.Answers.Add(answer);
        }
        var before = answer.Position;
        answer.Position = Input.Position;
        answer.NotApplicableReason = Input.NotApplicableReason;
        answer.Reasoning = Input.Reasoning;
        answer.Evidence = Input.Evidence;
        answer.Voices = Input.Voices;
        answer.Dissent = Input.Dissent;
        answer.Version = ExpectedVersion + 1;
        answer.UpdatedAt = Now;
        answer.UpdatedByUserId = UserId;
        answer.UpdatedByName = UserName;
        db.AnswerChanges.Add(
            new AnswerChange
            {
                OrganisationId = answer.OrganisationId,
                AnswerId = answer.Id,
                ReviewId = answer.ReviewId,
                RoundId = answer.RoundId,
                ItemId = answer.ItemId,
                Version = answer.Version,
                Position = answer.Position,
                NotApplicableReason = answer.NotApplicableReason,
                Reasoning = answer.Reasoning,
                Evidence = answer.Evidence,
                Voices = answer.Voices,
                Dissent = answer.Dissent,
                ChangedAt = Now,
                ChangedByUserId = UserId,
                ChangedByName = UserName,
            }
        );
        db.AuditEvents.Add(
            new AuditEvent
            {
                OccurredAt = Now,
                OrganisationId = OrganisationId,
                ActorUserId = UserId,
                ActorName = UserName,
                Action = "answer.saved",
                EntityType = nameof(Answer),
                EntityId = answer.Id.ToString(),
                Detail = $"{ItemId}: {before} to {answer.Position} (version {answer.Version})",
                CorrelationId = CorrelationId,
            }
        );
        await db.SaveChangesAsync(ct);
        // One statement, so concurrent saves on a review never leave its counts stale.
        await db
            .Reviews.Where(r => r.Id == ReviewId)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(
                            r => r.ConsideredCount,
                            r =>
                                db.Answers.Count(a =>
                                    a.RoundId == r.CurrentRoundId
                                    && a.Position != Position.NotYetConsidered
                                )
                        )
                        .SetProperty(
                            r => r.ConcernCount,
                            r =>
                                db.Answers.Count(a =>
                                    a.RoundId == r.CurrentRoundId && a.Position == Position.Concern
                                )
                        )
                        .SetProperty(r => r.UpdatedAt, Now),
                ct
            );
        return new SaveOutcome.Saved(answer);
    }
}

/// <summary>
/// SQLite has one writer at a time, and each commit waits for the disk (synchronous=FULL). So answer
/// saves are queued to one writer, which commits whatever has queued up meanwhile in one transaction:
/// many teams saving at once share one disk flush. Each save runs inside its own savepoint, so one that
/// fails or conflicts never affects the others; every save is acknowledged only after its commit.
/// </summary>
public sealed class SqliteAnswerWriter : IAsyncDisposable
{
    private const int MostPerCommit = 64;

    private sealed record Pending(AnswerWrite Write, TaskCompletionSource<SaveOutcome> Done);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true }
    );
    private readonly IDbContextFactory<SqliteAppDbContext> contexts;
    private readonly ILogger<SqliteAnswerWriter> logger;
    private readonly Task writer;

    public SqliteAnswerWriter(
        IDbContextFactory<SqliteAppDbContext> contexts,
        ILogger<SqliteAnswerWriter> logger
    )
    {
        this.contexts = contexts;
        this.logger = logger;
        writer = Task.Run(WriteLoopAsync);
    }

    public async Task<SaveOutcome> SaveAsync(AnswerWrite write, CancellationToken ct)
    {
        // A save that has been queued is carried through even if the person leaves the page.
        var pending = new Pending(
            write,
            new TaskCompletionSource<SaveOutcome>(
                TaskCreationOptions.RunContinuationsAsynchronously
            )
        );
        ct.ThrowIfCancellationRequested();
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException(
                "The app is shutting down: the answer was not saved."
            );
        }
        return await pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MostPerCommit);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MostPerCommit && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception e)
            {
                // The commit itself failed (the disk, say): nothing in the batch was saved.
                logger.LogError(e, "Saving {Count} answers failed", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var outcomes = new SaveOutcome?[batch.Count];
        var failures = new Exception?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i].Write;
            db.ChangeTracker.Clear();
            db.UseOrganisation(write.OrganisationId);
            await transaction.CreateSavepointAsync("answer");
            try
            {
                outcomes[i] = await write.WriteAsync(db, CancellationToken.None);
                await transaction.ReleaseSavepointAsync("answer");
            }
            catch (DbUpdateException)
            {
                // Another save of this item got in first (the unique index on round and item).
                await transaction.RollbackToSavepointAsync("answer");
                db.ChangeTracker.Clear();
                outcomes[i] = new SaveOutcome.Conflict(
                    await db
                        .Answers.AsNoTracking()
                        .SingleOrDefaultAsync(a =>
                            a.RoundId == write.RoundId && a.ItemId == write.ItemId
                        )
                );
            }
            catch (Exception e)
            {
                await transaction.RollbackToSavepointAsync("answer");
                failures[i] = e;
            }
        }
        await transaction.CommitAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(outcomes[i]!);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }
}
