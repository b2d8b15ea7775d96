using Microsoft.Data.Sqlite;
using Npgsql;

namespace Peisc.Tests.Infrastructure;

public static class OutsideWrites
{
    /// <summary>
    /// Runs SQL on a connection of its own, as another app instance sharing the database would:
    /// nothing the app caches can see it. "@user" in the SQL, if given, is that user's id. Unless told
    /// otherwise (schema changes), the SQL must change at least one row.
    /// </summary>
    public static async Task ExecuteOutsideTheAppAsync(
        this TestApp app,
        string sql,
        Guid? userId = null,
        bool expectRows = true
    )
    {
        await using System.Data.Common.DbConnection connection =
            app.Provider == Db.Postgres
                ? new NpgsqlConnection(app.PostgresConnectionString)
                : new SqliteConnection(
                    $"Data Source={Path.Combine(app.DataDirectory, "peisc.db")};Pooling=False"
                );
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (userId is { } id)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "user";
            // EF Core keeps a Guid in SQLite as upper-case text.
            parameter.Value = app.Provider == Db.Sqlite ? id.ToString().ToUpperInvariant() : id;
            command.Parameters.Add(parameter);
        }
        var rows = await command.ExecuteNonQueryAsync();
        Assert.True(!expectRows || rows > 0, "The SQL changed no rows");
    }
}
