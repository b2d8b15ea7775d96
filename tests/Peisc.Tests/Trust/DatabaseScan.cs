using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;

namespace Peisc.Tests.Trust;

public sealed record ScanHit(string Table, string Column, string Needle);

public sealed record ScanResult(
    int Tables,
    int Columns,
    long Rows,
    long Cells,
    IReadOnlyList<ScanHit> Hits
);

/// <summary>
/// Reads every column of every table, as found in the EF model and in the database's own schema
/// (so a table added by raw SQL or another tool is read too), and reports each needle found.
/// </summary>
public static class DatabaseScan
{
    public static Task<ScanResult> ScanAsync(
        this TestApp app,
        IReadOnlyCollection<string> needles
    ) =>
        app.QueryAsync(async db =>
        {
            var tables = db
                .Model.GetEntityTypes()
                .Select(e => e.GetTableName())
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                tables.UnionWith(
                    await ListAsync(
                        connection,
                        app.Provider == Db.Sqlite
                            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                    )
                );
                var hits = new List<ScanHit>();
                var columns = 0;
                long cells = 0;
                long rows = 0;
                foreach (var table in tables.Order(StringComparer.Ordinal))
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT * FROM \"{table}\"";
                    await using var reader = await command.ExecuteReaderAsync();
                    columns += reader.FieldCount;
                    while (await reader.ReadAsync())
                    {
                        rows++;
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            cells++;
                            var text = Text(reader.IsDBNull(i) ? null : reader.GetValue(i));
                            if (text is null)
                            {
                                continue;
                            }
                            foreach (var needle in needles)
                            {
                                if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                                {
                                    hits.Add(new ScanHit(table, reader.GetName(i), needle));
                                }
                            }
                        }
                    }
                }
                return new ScanResult(tables.Count, columns, rows, cells, hits);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

    // Binary values are read both as UTF-8 text and as hex, so a name or id inside a blob is found too.
    private static string? Text(object? value) =>
        value switch
        {
            null => null,
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes)
                + " "
                + Convert.ToHexString(bytes),
            DateTime d => d.ToString("O"),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
