using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>
/// The audit trail's hash chain (trust.md R2). Rows are written unsealed, with a digest of their
/// personal fields; <see cref="AuditSealer"/> later gives each its place in the chain. So saving
/// never waits on the chain's tail, and erasing a person can blank personal fields (leaving the
/// digest) without breaking the chain.
/// </summary>
public static class AuditChain
{
    public const string Genesis =
        "0000000000000000000000000000000000000000000000000000000000000000";

    // Erasure rows name in EntityId how many rows they redacted, so verification can account for each.
    public const string ErasureAction = "person.erased";

    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Over the fields an erasure may blank: actor, entity id, detail, correlation id.</summary>
    public static string ContentDigest(AuditEvent e) =>
        Sha256(
            e.Salt,
            e.ActorUserId?.ToString("D"),
            e.ActorName,
            e.EntityId,
            e.Detail,
            e.CorrelationId
        );

    /// <summary>Over the previous hash, the row's place, and everything that never changes.</summary>
    public static string Hash(string previousHash, long sequence, AuditEvent e) =>
        Sha256(
            previousHash,
            sequence.ToString(CultureInfo.InvariantCulture),
            e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
            e.OrganisationId?.ToString("D"),
            e.Action,
            e.EntityType,
            e.ContentDigest
        );

    // Each field is written with its length (or '-' for null), so no two rows' fields run together alike.
    private static string Sha256(params string?[] fields)
    {
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            if (field is null)
            {
                text.Append("-;");
            }
            else
            {
                text.Append(field.Length.ToString(CultureInfo.InvariantCulture))
                    .Append(':')
                    .Append(field)
                    .Append(';');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Walks the whole chain in order and reports the first row that does not fit.</summary>
    public static async Task<AuditVerification> VerifyAsync(
        AppDbContext db,
        CancellationToken ct = default
    )
    {
        const int PageSize = 1000;
        var previous = Genesis;
        long expected = 1;
        long redacted = 0;
        long accounted = 0;
        long? after = 0;
        while (true)
        {
            var page = await db
                .AuditEvents.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(e => e.Sequence != null && e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(ct);
            foreach (var row in page)
            {
                if (Check(row, expected, previous) is { } reason)
                {
                    return new AuditVerification(expected - 1, new AuditBreak(row, reason));
                }
                if (row.Redacted)
                {
                    redacted++;
                }
                if (
                    row.Action == ErasureAction
                    && long.TryParse(row.EntityId, CultureInfo.InvariantCulture, out var count)
                )
                {
                    accounted += count;
                }
                previous = row.Hash!;
                expected++;
                after = row.Sequence;
            }
            if (page.Count < PageSize)
            {
                break;
            }
        }
        var sealedRows = expected - 1;
        // Redacted rows are trusted on their stored digest, so marking a row redacted must not be a
        // way to hide an edit: every one has to be accounted for by an erasure.
        if (redacted > accounted)
        {
            return new AuditVerification(
                sealedRows,
                new AuditBreak(
                    null,
                    $"{redacted} rows are redacted but erasures account for only {accounted}"
                )
            );
        }
        return new AuditVerification(sealedRows, null);
    }

    private static string? Check(AuditEvent row, long expected, string previous)
    {
        if (row.Sequence != expected)
        {
            return $"sequence {row.Sequence} found where {expected} was expected: a row was deleted, added or moved";
        }
        if (row.PreviousHash != previous)
        {
            return "its previous hash does not match the row before it: a row was deleted, added or moved";
        }
        // Rows written before the chain existed have no digest (sealed as such, so it cannot be
        // emptied later without breaking the hash); their personal fields were never covered.
        if (
            !row.Redacted
            && row.ContentDigest.Length > 0
            && ContentDigest(row) != row.ContentDigest
        )
        {
            return "its actor, entity id, detail or correlation id was changed";
        }
        if (Hash(previous, expected, row) != row.Hash)
        {
            return "its time, organisation, action, entity type or digest was changed";
        }
        return null;
    }
}

public sealed record AuditBreak(AuditEvent? Row, string Reason)
{
    public override string ToString() =>
        Row is null
            ? Reason
            : $"row {Row.Id} (sequence {Row.Sequence}, {Row.OccurredAt:yyyy-MM-dd HH:mm:ss} UTC, {Row.Action}): {Reason}";
}

public sealed record AuditVerification(long RowsChecked, AuditBreak? Break)
{
    public bool Intact => Break is null;
}

/// <summary>
/// The one writer of seals: every few seconds, and on demand, it gives unsealed rows their place
/// in the chain in the order they were written. Requests never wait for it.
/// </summary>
public sealed class AuditSealer(
    IServiceScopeFactory scopes,
    ILogger<AuditSealer> logger,
    TimeProvider clock
) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private const int Batch = 500;
    private readonly SemaphoreSlim gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SealAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The rows stay unsealed and the next tick tries again (the database may be away).
                    logger.LogWarning(e, "Sealing the audit trail failed; will retry");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Seals every row written so far; returns how many it sealed.</summary>
    public async Task<int> SealAsync(CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var total = 0;
            int sealedNow;
            do
            {
                sealedNow = await SealBatchAsync(ct);
                total += sealedNow;
            } while (sealedNow == Batch);
            return total;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<int> SealBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // SQLite: an immediate transaction holds the one write lock. PostgreSQL: app instances
        // sharing the database take turns through an advisory lock.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7301746)", ct);
        }
        var tail = await db
            .AuditEvents.IgnoreQueryFilters()
            .Where(e => e.Sequence != null)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { Sequence = e.Sequence!.Value, Hash = e.Hash! })
            .FirstOrDefaultAsync(ct);
        var rows = await db
            .AuditEvents.IgnoreQueryFilters()
            .AsNoTracking()
            .Where(e => e.Sequence == null)
            .OrderBy(e => e.Id)
            .Take(Batch)
            .ToListAsync(ct);
        var sequence = tail?.Sequence ?? 0;
        var previous = tail?.Hash ?? AuditChain.Genesis;
        // One round trip for the whole batch: an UPDATE per row, sent together. The database's
        // trigger allows this one change: seal columns set on an unsealed row.
        var sql = new StringBuilder();
        var values = new List<object>(rows.Count * 4);
        foreach (var row in rows)
        {
            sequence++;
            var hash = AuditChain.Hash(previous, sequence, row);
            var at = values.Count;
            sql.Append(
                CultureInfo.InvariantCulture,
                $"UPDATE \"AuditEvents\" SET \"Sequence\" = {{{at}}}, \"PreviousHash\" = {{{at + 1}}}, \"Hash\" = {{{at + 2}}} WHERE \"Id\" = {{{at + 3}}} AND \"Sequence\" IS NULL;\n"
            );
            values.AddRange([sequence, previous, hash, row.Id]);
            previous = hash;
        }
        if (rows.Count > 0)
        {
            var changed = await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct);
            if (changed != rows.Count)
            {
                throw new InvalidOperationException(
                    $"Sealed {changed} of {rows.Count} audit rows: some were sealed elsewhere."
                );
            }
        }
        await transaction.CommitAsync(ct);
        if (rows.Count > 0)
        {
            // The head in the application log, kept apart from the database, anchors the chain:
            // rewriting the whole tail would not match what was logged.
            logger.LogInformation(
                "Audit trail sealed to sequence {Sequence}: {Hash}",
                sequence,
                previous
            );
        }
        return rows.Count;
    }
}
