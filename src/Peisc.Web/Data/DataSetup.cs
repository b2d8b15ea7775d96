using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Peisc.Web.Data;

public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>Sqlite (the default: a file in the data folder) or Postgres.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Required for Postgres; for Sqlite, defaults to peisc.db in the data folder.</summary>
    public string? ConnectionString { get; set; }
}

public static class DataSetup
{
    public static IServiceCollection AddPeiscData(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment
    )
    {
        var options =
            configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);

        if (
            string.Equals(
                options.Provider,
                DatabaseOptions.Postgres,
                StringComparison.OrdinalIgnoreCase
            )
        )
        {
            var connectionString =
                options.ConnectionString
                ?? throw new InvalidOperationException(
                    "Database:ConnectionString is required when Database:Provider is Postgres."
                );
            services.AddDbContext<AppDbContext, PostgresAppDbContext>(o =>
                o.UseNpgsql(connectionString)
            );
        }
        else if (
            string.Equals(
                options.Provider,
                DatabaseOptions.Sqlite,
                StringComparison.OrdinalIgnoreCase
            )
        )
        {
            var connectionString =
                options.ConnectionString
                ?? $"Data Source={Path.Combine(DataDirectory(configuration, environment), "peisc.db")}";
            services.AddDbContext<AppDbContext, SqliteAppDbContext>(o =>
                o.UseSqlite(connectionString).AddInterceptors(new SqliteDurability())
            );
        }
        else
        {
            throw new InvalidOperationException(
                $"Database:Provider '{options.Provider}' is not supported: use Sqlite or Postgres."
            );
        }
        return services;
    }

    /// <summary>Where the SQLite file and the development mail folder live; created on first run.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["DataDirectory"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "data")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Applies migrations, then refuses to start on a SQLite file that is not durable.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();

        if (db.Database.IsSqlite())
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                await Pragma(connection, "PRAGMA journal_mode=WAL;");
                var journal = await Pragma(connection, "PRAGMA journal_mode;");
                var synchronous = await Pragma(connection, "PRAGMA synchronous;");
                // 2 is FULL: a write acknowledged to a user survives a power cut.
                if (
                    !string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase)
                    || synchronous != "2"
                )
                {
                    throw new InvalidOperationException(
                        $"SQLite must run in WAL mode with synchronous=FULL; found journal_mode={journal}, synchronous={synchronous}."
                    );
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    internal static async Task<string?> Pragma(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(
            await command.ExecuteScalarAsync(),
            System.Globalization.CultureInfo.InvariantCulture
        );
    }

    // synchronous is a per-connection setting, so it is set every time a connection opens.
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        public override void ConnectionOpened(
            DbConnection connection,
            ConnectionEndEventData eventData
        )
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=FULL;";
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(
            DbConnection connection,
            ConnectionEndEventData eventData,
            CancellationToken cancellationToken = default
        )
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=FULL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
