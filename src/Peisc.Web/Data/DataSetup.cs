using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Peisc.Web.Accounts;

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
        services.AddSingleton<SignInTablesWatcher>();
        // The keys that protect sign-in cookies, antiforgery and live-session tokens live in the
        // database, so every instance sharing it accepts what another issued (and keys survive a redeploy).
        services
            .AddDataProtection()
            .SetApplicationName("PEISC")
            .PersistKeysToDbContext<AppDbContext>();

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
            services.AddPooledDbContextFactory<PostgresAppDbContext>(
                (provider, o) =>
                    o.UseNpgsql(connectionString)
                        .AddInterceptors(provider.GetRequiredService<SignInTablesWatcher>())
            );
            services.AddScoped<AppDbContext>(RentContext<PostgresAppDbContext>);
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
            services.AddPooledDbContextFactory<SqliteAppDbContext>(
                (provider, o) =>
                    o.UseSqlite(connectionString)
                        .AddInterceptors(
                            new SqliteDurability(),
                            provider.GetRequiredService<SignInTablesWatcher>()
                        )
            );
            services.AddScoped<AppDbContext>(RentContext<SqliteAppDbContext>);
            services.AddSingleton<Reviews.SqliteAnswerWriter>();
        }
        else
        {
            throw new InvalidOperationException(
                $"Database:Provider '{options.Provider}' is not supported: use Sqlite or Postgres."
            );
        }
        return services;
    }

    // Contexts are pooled (building one is a large part of a small request's cost). A rented
    // context is told whose request it serves before anything can query through it, and goes
    // back to the pool when the request's scope is disposed.
    private static AppDbContext RentContext<TContext>(IServiceProvider provider)
        where TContext : AppDbContext
    {
        var context = provider.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
        context.ActFor(provider.GetRequiredService<CurrentMember>());
        return context;
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

        // Checked before anything else is written: a database that cannot keep acknowledged writes is refused.
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
        await AuditTriggers.EnsureAsync(db);
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

    // synchronous is a per-connection setting. Pooled connections keep their native handle, so it is
    // set once per handle rather than on every open (which is once per query).
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        private static readonly ConditionalWeakTable<object, object> Configured = [];

        // FULL: a write acknowledged to a user survives a power cut. mmap: reads come straight from
        // the operating system's page cache, shared by every connection, instead of each
        // connection's own small cache (the file is read, never written, through the map).
        private const string ConnectionPragmas = "PRAGMA synchronous=FULL;";

        private static bool NeedsPragma(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle }
            || !Configured.TryGetValue(handle, out _);

        private static void Done(DbConnection connection)
        {
            if (connection is SqliteConnection { Handle: { } handle })
            {
                Configured.AddOrUpdate(handle, handle);
            }
        }

        public override void ConnectionOpened(
            DbConnection connection,
            ConnectionEndEventData eventData
        )
        {
            if (!NeedsPragma(connection))
            {
                return;
            }
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
            Done(connection);
        }

        public override async Task ConnectionOpenedAsync(
            DbConnection connection,
            ConnectionEndEventData eventData,
            CancellationToken cancellationToken = default
        )
        {
            if (!NeedsPragma(connection))
            {
                return;
            }
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Done(connection);
        }
    }
}
