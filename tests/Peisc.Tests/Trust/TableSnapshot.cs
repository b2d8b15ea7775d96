using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Trust;

/// <summary>One row of one table, read with plain SQL (no tenant filter), keyed by its primary key.</summary>
public sealed record SnapshotRow(
    string Table,
    string Key,
    IReadOnlyDictionary<string, string> Values
)
{
    public string Text => string.Join(", ", Values.Select(v => $"{v.Key}={v.Value}"));

    public string? this[string column] => Values.GetValueOrDefault(column);
}

/// <summary>Every row of every table of the model, to compare the whole database before and after.</summary>
public static class TableSnapshot
{
    public static async Task<Dictionary<(string Table, string Key), SnapshotRow>> TakeAsync(
        TestApp app
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tables = db
            .Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .Select(e =>
                (
                    Table: e.GetTableName()!,
                    Key: e.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToList()
                )
            )
            .DistinctBy(t => t.Table)
            .ToList();
        Assert.True(tables.Count >= 25, $"Only {tables.Count} tables in the model");

        var rows = new Dictionary<(string, string), SnapshotRow>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var (table, key) in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var values = new Dictionary<string, string>();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        values[reader.GetName(i)] = reader.IsDBNull(i)
                            ? "NULL"
                            : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                    }
                    // SQLite keeps GUIDs as upper-case text, PostgreSQL prints them in lower case.
                    var id = string.Join("|", key.Select(k => values[k])).ToLowerInvariant();
                    rows[(table, id)] = new SnapshotRow(table, id, values);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return rows;
    }
}
