using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Peisc.Web.Data;

/// <summary>
/// Two requests at once, or a request and a colleague's delete, can meet in the database. These are
/// the two ways the app settles that, so the person sees what they would had the requests come one
/// after the other.
/// </summary>
public static class Races
{
    /// <summary>
    /// A write to something deleted a moment before (a comment on a review a colleague has just
    /// deleted): the database refuses the row because its parent is gone. The thing is gone, so the
    /// request gets "not found" (404), as it would have a moment later, rather than a server error.
    /// </summary>
    public static bool IsWriteToSomethingDeleted(Exception exception) =>
        exception is DbUpdateException
        && exception.InnerException
            is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation }
                or SqliteException { SqliteExtendedErrorCode: SqliteForeignKeyConstraint };

    private const int SqliteForeignKeyConstraint = 787;

    /// <summary>
    /// A write that looks for a row and adds it when it is missing (a person's first view of an item,
    /// an item's first thread, a cell's reflection, an organisation's own wording) can lose a race: two
    /// requests (two tabs, two people) both find nothing, and the unique index refuses the second
    /// insert. Run once more on a clean slate, the second request finds the first one's row and carries
    /// on from it, as if the two had come one after the other. The write must be the whole of what
    /// the request changes (the clean slate drops anything else tracked), and must not run inside a
    /// transaction the caller opened: PostgreSQL refuses every statement after a failed one until
    /// that transaction rolls back.
    /// </summary>
    public static async Task<T> OnceMoreIfRacedAsync<T>(
        this AppDbContext db,
        Func<Task<T>> write,
        CancellationToken ct = default
    )
    {
        try
        {
            return await write();
        }
        catch (DbUpdateException) when (!ct.IsCancellationRequested)
        {
            // Everything this attempt added or changed (its audit row too) is dropped with it.
            db.ChangeTracker.Clear();
            return await write();
        }
    }

    public static Task OnceMoreIfRacedAsync(
        this AppDbContext db,
        Func<Task> write,
        CancellationToken ct = default
    ) =>
        db.OnceMoreIfRacedAsync(
            async () =>
            {
                await write();
                return true;
            },
            ct
        );
}
