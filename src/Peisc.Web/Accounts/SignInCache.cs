using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace Peisc.Web.Accounts;

/// <summary>
/// Remembers for a few seconds what the sign-in checks read from the database (a session with its
/// membership, or an access token), so that a signed-in page does not pay two queries before it
/// starts. Nothing that changes who may do what waits for the cache to expire: any write to the
/// tables those checks read forgets every entry at once (see <see cref="SignInTablesWatcher"/>),
/// so sign-out, a role change or a revoked token take effect on the next request. The lifetime only
/// bounds how long another app instance sharing the database can lag behind such a change.
/// </summary>
public sealed class SignInCache(TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Tag for writes that are bookkeeping (when a session or token was last used), not a change of access.</summary>
    public const string BookkeepingTag = "peisc:sign-in-bookkeeping";

    // Each entry is one small record; the limit keeps a flood of distinct tokens from growing memory.
    // Entries also expire on the app's clock (checked in TryGet), which tests can move.
    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private long generation;

    private sealed record Entry(object Value, long Generation, DateTimeOffset ReadAt);

    /// <summary>Read before the database is queried, and passed to <see cref="Set"/> with what was read.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet<T>(string key, out T value)
        where T : class
    {
        if (
            entries.TryGetValue(key, out var found)
            && found is Entry { Value: T cached } entry
            && entry.Generation == Generation
            && clock.GetUtcNow() - entry.ReadAt < Lifetime
        )
        {
            value = cached;
            return true;
        }
        value = null!;
        return false;
    }

    /// <summary>
    /// Keeps what was read under the generation current before the read began: if a change landed
    /// in between, the entry is already out of date and is never served.
    /// </summary>
    public void Set<T>(string key, T value, long readAtGeneration)
        where T : class =>
        entries.Set(
            key,
            new Entry(value, readAtGeneration, clock.GetUtcNow()),
            new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime }
        );

    public void ForgetAll() => Interlocked.Increment(ref generation);

    public void Dispose() => entries.Dispose();
}

/// <summary>
/// Forgets every cached sign-in whenever a command writes to a table the sign-in checks read,
/// however the write was made (SaveChanges, ExecuteUpdate, Identity's stores). Inside a transaction
/// it forgets again at commit, so a read that raced the write cannot be kept as current.
/// </summary>
public sealed class SignInTablesWatcher(SignInCache cache)
    : DbCommandInterceptor,
        IDbTransactionInterceptor
{
    private static readonly string[] Tables =
    [
        "\"UserSessions\"",
        "\"Memberships\"",
        "\"AspNetUsers\"",
        "\"Organisations\"",
        "\"AccessTokens\"",
    ];

    private readonly ConditionalWeakTable<DbTransaction, object> pending = [];

    private void Seen(DbCommand command)
    {
        var sql = command.CommandText;
        if (
            sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            || sql.Contains(SignInCache.BookkeepingTag, StringComparison.Ordinal)
            || !Tables.Any(t => sql.Contains(t, StringComparison.Ordinal))
        )
        {
            return;
        }
        cache.ForgetAll();
        if (command.Transaction is { } transaction)
        {
            pending.AddOrUpdate(transaction, cache);
        }
    }

    public override int NonQueryExecuted(
        DbCommand command,
        CommandExecutedEventData eventData,
        int result
    )
    {
        Seen(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command,
        CommandExecutedEventData eventData,
        int result,
        CancellationToken cancellationToken = default
    )
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(
        DbCommand command,
        CommandExecutedEventData eventData,
        DbDataReader result
    )
    {
        Seen(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command,
        CommandExecutedEventData eventData,
        DbDataReader result,
        CancellationToken cancellationToken = default
    )
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(
        DbCommand command,
        CommandExecutedEventData eventData,
        object? result
    )
    {
        Seen(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command,
        CommandExecutedEventData eventData,
        object? result,
        CancellationToken cancellationToken = default
    )
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (pending.Remove(transaction))
        {
            cache.ForgetAll();
        }
    }

    public Task TransactionCommittedAsync(
        DbTransaction transaction,
        TransactionEndEventData eventData,
        CancellationToken cancellationToken = default
    )
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }
}
