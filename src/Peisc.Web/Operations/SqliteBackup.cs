using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Peisc.Web.Operations;

public sealed record BackupResult(string File, long Bytes, string IntegrityCheck, TimeSpan Elapsed);

/// <summary>
/// Online backup and restore of the SQLite file with SQLite's backup API: the app keeps running and
/// writing while a backup is taken (docs/operations.md).
/// </summary>
public static class SqliteBackup
{
    public static async Task<BackupResult> BackupAsync(
        string sourceConnectionString,
        string file,
        bool force
    )
    {
        var watch = Stopwatch.StartNew();
        var target = Path.GetFullPath(file);
        if (File.Exists(target) && !force)
        {
            throw new OperatorException(
                $"{target} already exists: choose another name, or pass --force to replace it."
            );
        }
        var source = Builder(sourceConnectionString);
        if (!File.Exists(source.DataSource))
        {
            throw new OperatorException($"There is no database at {source.DataSource}.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written beside the target and renamed once checked, so a backup file is always whole.
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            await using (var from = new SqliteConnection(source.ToString()))
            await using (var to = new SqliteConnection(FromPath(partial).ToString()))
            {
                await from.OpenAsync();
                await to.OpenAsync();
                // One step copies every page inside one read transaction: a consistent snapshot as
                // of the moment it began. In WAL mode the app's writers carry on meanwhile.
                await CopyAsync(from, to);
                // The copy keeps the source's WAL flag; a backup is better as one self-contained file.
                await ScalarAsync(to, "PRAGMA journal_mode=DELETE;");
            }
            var check = await IntegrityCheckAsync(partial);
            if (check != "ok")
            {
                throw new OperatorException(
                    $"The backup failed SQLite's integrity check ({check}); nothing was written to {target}."
                );
            }
            File.Move(partial, target, overwrite: true);
            return new BackupResult(target, new FileInfo(target).Length, check, watch.Elapsed);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public static async Task<BackupResult> RestoreAsync(
        string file,
        string targetConnectionString,
        bool force
    )
    {
        var watch = Stopwatch.StartNew();
        var backup = Path.GetFullPath(file);
        if (!File.Exists(backup))
        {
            throw new OperatorException($"There is no backup at {backup}.");
        }
        // Checked before anything is touched: a damaged or foreign file never replaces a database.
        var check = await IntegrityCheckAsync(backup, readOnly: true);
        if (check != "ok")
        {
            throw new OperatorException(
                $"{backup} failed SQLite's integrity check ({check}): nothing was restored."
            );
        }
        if (!await IsPeiscDatabaseAsync(backup))
        {
            throw new OperatorException(
                $"{backup} is a SQLite file but not a PEISC database: nothing was restored."
            );
        }

        var target = Builder(targetConnectionString);
        var existed = File.Exists(target.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target.DataSource))!);
        await using (var from = new SqliteConnection(FromPath(backup, readOnly: true).ToString()))
        await using (var to = new SqliteConnection(target.ToString()))
        {
            await from.OpenAsync();
            await to.OpenAsync();
            if (!force)
            {
                if (existed)
                {
                    var inUse = !await TryLockAsync(to);
                    throw new OperatorException(
                        inUse
                            ? $"{target.DataSource} is in use by a running app: stop the app first, or pass --force to replace it while it runs."
                            : $"{target.DataSource} already exists: pass --force to replace it."
                    );
                }
                // Held until the restore is done, so an app started meanwhile waits for it.
                if (!await TryLockAsync(to))
                {
                    throw new OperatorException(
                        $"{target.DataSource} was opened by another program while restoring: nothing was restored."
                    );
                }
            }
            // Replaces every page of the target under the target's own locks, so even with --force
            // a running app sees either the old database or the restored one, never a mixture.
            from.BackupDatabase(to);
        }
        await using (var connection = new SqliteConnection(target.ToString()))
        {
            await connection.OpenAsync();
            await ScalarAsync(connection, "PRAGMA journal_mode=WAL;");
        }
        var after = await IntegrityCheckAsync(target.DataSource);
        return new BackupResult(
            Path.GetFullPath(target.DataSource),
            new FileInfo(target.DataSource).Length,
            after,
            watch.Elapsed
        );
    }

    // A read lock is refused only for a moment (while the app's connection recovers or restarts the
    // write-ahead log), so a refusal is tried again a few times before it is reported.
    private static async Task CopyAsync(SqliteConnection from, SqliteConnection to)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public static async Task<string> IntegrityCheckAsync(string path, bool readOnly = false)
    {
        await using var connection = new SqliteConnection(FromPath(path, readOnly).ToString());
        try
        {
            await connection.OpenAsync();
            return await ScalarAsync(connection, "PRAGMA integrity_check;") ?? "no answer";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    private static async Task<bool> IsPeiscDatabaseAsync(string path)
    {
        await using var connection = new SqliteConnection(
            FromPath(path, readOnly: true).ToString()
        );
        await connection.OpenAsync();
        return await ScalarAsync(
                connection,
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__EFMigrationsHistory', 'Reviews', 'AuditEvents');"
            ) == "3";
    }

    // Another connection (a running app keeps some open in its pool) holds a shared lock in WAL
    // mode; an exclusive lock is refused while it does.
    private static async Task<bool> TryLockAsync(SqliteConnection connection)
    {
        try
        {
            await ScalarAsync(connection, "PRAGMA locking_mode=EXCLUSIVE;");
            await ScalarAsync(connection, "BEGIN EXCLUSIVE;");
            await ScalarAsync(connection, "COMMIT;");
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return false;
        }
    }

    // No pooling: the command's connections close for real, releasing their locks; a short busy
    // wait, so a database in use is reported at once rather than after half a minute.
    private static SqliteConnectionStringBuilder Builder(string connectionString) =>
        Settle(new SqliteConnectionStringBuilder(connectionString), readOnly: false);

    private static SqliteConnectionStringBuilder FromPath(string path, bool readOnly = false) =>
        Settle(new SqliteConnectionStringBuilder { DataSource = path }, readOnly);

    private static SqliteConnectionStringBuilder Settle(
        SqliteConnectionStringBuilder builder,
        bool readOnly
    )
    {
        builder.Pooling = false;
        builder.DefaultTimeout = 2;
        if (readOnly)
        {
            builder.Mode = SqliteOpenMode.ReadOnly;
        }
        return builder;
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(
            await command.ExecuteScalarAsync(),
            System.Globalization.CultureInfo.InvariantCulture
        );
    }
}
