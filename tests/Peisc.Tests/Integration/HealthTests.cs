using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Peisc.Tests.Infrastructure;

namespace Peisc.Tests.Integration;

public sealed class HealthTests
{
    [Theory, BothDatabases]
    public async Task Health_Anonymous_AnswersOk(Db db)
    {
        await using var app = new TestApp(db);

        var response = await app.Browser().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task Health_DatabaseGone_AnswersServiceUnavailable(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await MakeDatabaseUnreachableAsync(app);
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    private static async Task MakeDatabaseUnreachableAsync(TestApp app)
    {
        if (app.Provider == Db.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(app.PostgresConnectionString);
            var name = builder.Database!;
            builder.Database = "postgres";
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE \"{name}\" WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
            return;
        }
        // Pooled connections keep the old file open; without them, the path now names a folder, which SQLite cannot open.
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(app.DataDirectory, "peisc.db");
        Assert.True(File.Exists(file), $"No database at {file}");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
        Directory.CreateDirectory(file);
    }
}
