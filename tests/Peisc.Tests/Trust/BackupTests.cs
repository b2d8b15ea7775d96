using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

// trust.md R5: an online backup taken while the app writes restores with every acknowledged row.
public sealed class BackupTests(ITestOutputHelper output)
{
    private const string Item = "human-rights.process.1";

    [Theory, BothDatabases]
    public async Task OnlineBackup_WhileTheAppWrites_RestoresEveryWriteAcknowledgedBeforeItStarted(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var token = await app.CreateAccessTokenAsync(org, org[MemberRole.Facilitator]);
        using var api = app.ApiClient(token);
        var backup = Path.Combine(app.DataDirectory, "backups", "peisc.backup");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);

        // The writer: each review created (201) and each answer saved (200) is a write the app acknowledged.
        var acknowledged = new ConcurrentQueue<Write>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var writer = Task.Run(() => WriteAsync(api, acknowledged, 2000, stop.Token));
        await WaitForAsync(() => acknowledged.Count >= 60 || writer.IsCompleted);

        var before = acknowledged.ToArray();
        var watch = Stopwatch.StartNew();
        var taken =
            db == Db.Sqlite
                ? await OperatorProcess.RunAppAsync(
                    "backup",
                    backup,
                    "--Database:Provider=Sqlite",
                    $"--Database:ConnectionString=Data Source={Path.Combine(app.DataDirectory, "peisc.db")}"
                )
                : await OperatorProcess.RunAsync(
                    OperatorProcess.PostgresTool("pg_dump"),
                    ["-Fc", "--file", backup],
                    environment: Libpq(app.PostgresConnectionString!)
                );
        var backupTime = watch.Elapsed;
        var duringBackup = acknowledged.Count - before.Length;
        var acknowledgedByTheEnd = acknowledged.Count;
        Assert.True(taken.ExitCode == 0, taken.Both);
        // Keep writing a little after the backup, then stop.
        var target = acknowledged.Count + 20;
        await WaitForAsync(() => acknowledged.Count >= target || writer.IsCompleted);
        await stop.CancelAsync();
        await writer;
        Assert.False(writer.IsFaulted);
        Assert.True(
            duringBackup > 0,
            $"No write was acknowledged while the backup ran ({backupTime.TotalSeconds:0.0} s): the backup was not taken online"
        );

        // Restore into a fresh database and serve it with the app.
        var restoredSettings = new Dictionary<string, string?>();
        string? restoredDatabase = null;
        if (db == Db.Sqlite)
        {
            var restoredFile = Path.Combine(app.DataDirectory, "restored", "peisc.db");
            var restored = await OperatorProcess.RunAppAsync(
                "restore",
                backup,
                "--Database:Provider=Sqlite",
                $"--Database:ConnectionString=Data Source={restoredFile}"
            );
            Assert.True(restored.ExitCode == 0, restored.Both);
            Assert.Contains("integrity_check ok", restored.Output, StringComparison.Ordinal);
            Assert.Equal("ok", await IntegrityCheckAsync(restoredFile));
            restoredSettings["Database:ConnectionString"] = $"Data Source={restoredFile}";
        }
        else
        {
            restoredDatabase = "peisc_restored_" + Guid.NewGuid().ToString("N");
            var server = Environment.GetEnvironmentVariable("PEISC_TEST_POSTGRES")!;
            await ExecuteAsync(
                $"{server};Database=postgres",
                $"CREATE DATABASE {restoredDatabase}"
            );
            var restored = await OperatorProcess.RunAsync(
                OperatorProcess.PostgresTool("pg_restore"),
                ["--no-owner", "--exit-on-error", "--dbname", restoredDatabase, backup],
                environment: Libpq($"{server};Database={restoredDatabase}")
            );
            Assert.True(restored.ExitCode == 0, restored.Both);
            restoredSettings["Database:ConnectionString"] = $"{server};Database={restoredDatabase}";
        }

        try
        {
            await using var restoredApp = new TestApp(db, restoredSettings);
            using var restoredApi = restoredApp.ApiClient(token);
            var missing = new List<string>();
            foreach (var write in before)
            {
                var url = write.Reasoning is null
                    ? $"/api/v1/reviews/{write.ReviewId}"
                    : $"/api/v1/reviews/{write.ReviewId}/answers/{Item}";
                var response = await restoredApi.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (
                    response.StatusCode != HttpStatusCode.OK
                    || !body.Contains(write.Reasoning ?? write.Title, StringComparison.Ordinal)
                )
                {
                    missing.Add($"{url}: {(int)response.StatusCode}");
                }
            }
            Assert.True(
                missing.Count == 0,
                "Missing after restore:\n" + string.Join("\n", missing)
            );

            // Reviews created after the backup had finished are not there: this is the backup, not the live database.
            var later = acknowledged
                .Skip(acknowledgedByTheEnd)
                .Where(w => w.Reasoning is null)
                .ToList();
            Assert.NotEmpty(later);
            foreach (var write in later)
            {
                var response = await restoredApi.GetAsync($"/api/v1/reviews/{write.ReviewId}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            var restoredReviews = await restoredApp.QueryAsync(d => d.Reviews.CountAsync(), org.Id);
            output.WriteLine(taken.Output.Trim());
            output.WriteLine(
                $"{db}: {before.Length} writes acknowledged before the backup started, {duringBackup} while it ran "
                    + $"({backupTime.TotalSeconds:0.00} s, {new FileInfo(backup).Length:N0} bytes), {acknowledged.Count} in all; "
                    + $"all {before.Length} served after restore; the restored database holds {restoredReviews} reviews."
            );
            Assert.True(restoredReviews >= before.Count(w => w.Reasoning is null));
        }
        finally
        {
            if (restoredDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(
                    $"{Environment.GetEnvironmentVariable("PEISC_TEST_POSTGRES")};Database=postgres",
                    $"DROP DATABASE IF EXISTS {restoredDatabase} WITH (FORCE)"
                );
            }
        }
    }

    [Fact]
    public async Task Restore_OverTheDatabaseOfARunningApp_IsRefusedAndChangesNothing()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var first = await app.CreateReviewAsync(org, "Before the backup");
        var live = Path.Combine(app.DataDirectory, "peisc.db");
        var backup = Path.Combine(app.DataDirectory, "peisc.backup");
        var settings = new[]
        {
            "--Database:Provider=Sqlite",
            $"--Database:ConnectionString=Data Source={live}",
        };
        Assert.Equal(
            0,
            (await OperatorProcess.RunAppAsync(["backup", backup, .. settings])).ExitCode
        );
        await app.CreateReviewAsync(org, "After the backup");

        // A second backup to the same name is refused rather than overwriting the first.
        var again = await OperatorProcess.RunAppAsync(["backup", backup, .. settings]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);

        // The app holds the database open: restoring over it without --force is refused.
        var refused = await OperatorProcess.RunAppAsync(["restore", backup, .. settings]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("in use by a running app", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));

        // A damaged backup is refused before anything is touched.
        var damaged = Path.Combine(app.DataDirectory, "damaged.backup");
        var bytes = await File.ReadAllBytesAsync(backup);
        Array.Fill(bytes, (byte)0x5A, 4096 * 2, 4096);
        await File.WriteAllBytesAsync(damaged, bytes);
        var fresh = Path.Combine(app.DataDirectory, "fresh.db");
        var check = await OperatorProcess.RunAppAsync(
            "restore",
            damaged,
            "--Database:Provider=Sqlite",
            $"--Database:ConnectionString=Data Source={fresh}"
        );
        Assert.NotEqual(0, check.ExitCode);
        Assert.False(File.Exists(fresh), check.Both);

        // Told to, it replaces the live database, which then holds the backup's rows only.
        var forced = await OperatorProcess.RunAppAsync(["restore", backup, "--force", .. settings]);
        Assert.True(forced.ExitCode == 0, forced.Both);
        var titles = await app.QueryAsync(
            d => d.Reviews.Select(r => r.Title).ToListAsync(),
            org.Id
        );
        Assert.Equal(new[] { first.Title }, titles);
        Assert.Equal("ok", await IntegrityCheckAsync(live));
    }

    [Fact]
    public async Task BackupCommand_OnPostgres_SaysToUsePgDump()
    {
        var result = await OperatorProcess.RunAppAsync(
            "backup",
            Path.Combine(Path.GetTempPath(), "never-written.backup"),
            "--Database:Provider=Postgres",
            "--Database:ConnectionString=Host=127.0.0.1;Port=1;Database=none"
        );
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pg_dump -Fc", result.Error, StringComparison.Ordinal);
    }

    private sealed record Write(Guid ReviewId, string Title, string? Reasoning);

    private static async Task WriteAsync(
        HttpClient api,
        ConcurrentQueue<Write> acknowledged,
        int max,
        CancellationToken stop
    )
    {
        for (var i = 0; i < max && !stop.IsCancellationRequested; i++)
        {
            var title = $"Backup write {i}";
            HttpResponseMessage created;
            try
            {
                created = await api.PostJsonAsync("/api/v1/reviews", NewReview(title));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var review = await created.JsonAsync(HttpStatusCode.Created);
            var id = Guid.Parse(review.Text("id"));
            acknowledged.Enqueue(new Write(id, title, null));

            var reasoning = $"Reasoning of write {i}";
            var saved = await api.PutJsonAsync(
                $"/api/v1/reviews/{id}/answers/{Item}",
                new
                {
                    position = "Concern",
                    reasoning,
                    version = 0,
                }
            );
            await saved.JsonAsync(HttpStatusCode.OK);
            acknowledged.Enqueue(new Write(id, title, reasoning));
        }
    }

    private static object NewReview(string title) =>
        new
        {
            title,
            innovation = "A pilot of family group conferencing before care proceedings.",
            serviceArea = "Children",
            situationId = "situation.2",
            stageId = "stage.2",
        };

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "The writer stalled");
            await Task.Delay(20);
        }
    }

    private static Dictionary<string, string> Libpq(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = b.Host!,
            ["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = b.Username!,
            ["PGDATABASE"] = b.Database!,
        };
        if (b.Password is { } password)
        {
            env["PGPASSWORD"] = password;
        }
        return env;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> IntegrityCheckAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
