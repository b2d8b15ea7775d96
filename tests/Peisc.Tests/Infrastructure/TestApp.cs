using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Peisc.Tests.Infrastructure;

public enum Db
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real application host on a database of its own: a fresh SQLite file, or a fresh
/// database in the throwaway PostgreSQL that test.sh starts (PEISC_TEST_POSTGRES).
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string Password = "a sensible pass phrase";

    // Dozens of app hosts run side by side; file watching for config changes would exhaust inotify instances.
    static TestApp() =>
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    private readonly Dictionary<string, string?> _settings;
    private readonly string? _postgresDatabase;
    private readonly string? _postgresServer;

    public TestApp(
        Db provider,
        IDictionary<string, string?>? settings = null,
        bool realServer = false
    )
    {
        Provider = provider;
        DataDirectory = Path.Combine(
            Path.GetTempPath(),
            "peisc-tests",
            Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(DataDirectory);
        _settings = new()
        {
            ["DataDirectory"] = DataDirectory,
            ["Security:RequireHttps"] = "false",
            ["Security:RequireTwoFactorForOwners"] = "false",
            ["Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // A purge on its own schedule would add rows to other tests' audit trails; RetentionTests turns it on.
            ["Retention:DailyPurge"] = "false",
        };
        if (provider == Db.Postgres)
        {
            _postgresServer =
                Environment.GetEnvironmentVariable("PEISC_TEST_POSTGRES")
                ?? throw new InvalidOperationException(
                    "PEISC_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL."
                );
            _postgresDatabase = "peisc_test_" + Guid.NewGuid().ToString("N");
            _settings["Database:Provider"] = "Postgres";
            _settings["Database:ConnectionString"] =
                $"{_postgresServer};Database={_postgresDatabase}";
        }
        else
        {
            _settings["Database:Provider"] = "Sqlite";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        if (realServer)
        {
            // Browser tests need a real socket; it listens on loopback only.
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public Db Provider { get; }

    public string DataDirectory { get; }

    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    public FakeTimeProvider? Clock { get; init; }

    /// <summary>
    /// Keeps what the app logs (at the levels its settings let through), so a test that finds a
    /// server error can say which exception it was.
    /// </summary>
    public bool CollectLogs { get; init; }

    public IReadOnlyList<FakeLogRecord> Logs =>
        CollectLogs
            ? Services.GetFakeLogCollector().GetSnapshot()
            : throw new InvalidOperationException("Create the app with CollectLogs = true.");

    public string? PostgresConnectionString =>
        _postgresDatabase is null ? null : $"{_postgresServer};Database={_postgresDatabase}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (Clock is not null)
        {
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        }
        if (CollectLogs)
        {
            builder.ConfigureLogging(logging => logging.AddFakeLogging());
        }
    }

    /// <summary>A client that keeps cookies and shows redirects rather than following them.</summary>
    public HttpClient Browser() =>
        CreateClient(
            new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false,
                HandleCookies = true,
            }
        );

    // Of this factory's host, and of those derived with WithWebHostBuilder, which come here too.
    private readonly List<IWebHostEnvironment> _environments = [];

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        lock (_environments)
        {
            _environments.Add(host.Services.GetRequiredService<IWebHostEnvironment>());
        }
        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        // A host never disposes its file providers, and the web root's watcher (started by
        // asp-append-version) holds an inotify instance: a few dozen test hosts would exhaust
        // Linux's limit of 128 per user, which every process of the user shares.
        await base.DisposeAsync();
        foreach (var environment in _environments)
        {
            (environment.WebRootFileProvider as IDisposable)?.Dispose();
            (environment.ContentRootFileProvider as IDisposable)?.Dispose();
        }
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(
                $"{_postgresServer};Database=postgres"
            );
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing connection: the temp folder is cleaned by the OS.
        }
    }
}
