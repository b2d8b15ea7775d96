using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Peisc.Tests.Trust;

/// <summary>
/// A PostgreSQL server of the durability tests' own, set up as production should be: fsync on,
/// synchronous_commit on, full_page_writes on (the shared test server runs with fsync off for speed, so
/// nothing about durability can be shown on it). Data in a temp folder, loopback only, a free port in
/// 55600-55700; stopped and removed on dispose. Run as the postgres user when the tests run as root.
/// </summary>
public sealed class DurablePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private DurablePostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<DurablePostgres> StartAsync()
    {
        var bin =
            Directory
                .GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => MajorVersion(Path.GetFileName(Path.GetDirectoryName(d))!))
                .FirstOrDefault()
            ?? throw new InvalidOperationException(
                "PostgreSQL's programs are not in /usr/lib/postgresql/*/bin."
            );
        var directory = Path.Combine(
            Path.GetTempPath(),
            "peisc-durable-pg-" + Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(directory);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", directory], asPostgres: false);
        }
        var port = FreePort();
        var server = new DurablePostgres(bin, directory, port);
        await RunAsync(
            Path.Combine(bin, "initdb"),
            ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres"],
            asPostgres: true
        );
        await RunAsync(
            Path.Combine(bin, "pg_ctl"),
            [
                "-D",
                server.DataDirectory,
                "-l",
                Path.Combine(directory, "log"),
                "-w",
                "-o",
                $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200",
                "start",
            ],
            asPostgres: true
        );
        return server;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The settings the server runs with, read back from it.</summary>
    public async Task<(string Fsync, string SynchronousCommit)> DurabilitySettingsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT current_setting('fsync'), current_setting('synchronous_commit')";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(
                Path.Combine(_bin, "pg_ctl"),
                ["-D", DataDirectory, "stop", "-m", "fast"],
                asPostgres: true
            );
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }
        }
    }

    // "15", or "9.6" for the old numbering.
    private static Version MajorVersion(string name) =>
        Version.TryParse(
            name.Contains('.', StringComparison.Ordinal) ? name : name + ".0",
            out var v
        )
            ? v
            : new Version(0, 0);

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(wait.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}"
            );
        }
    }

    private static int FreePort()
    {
        // Random order, so two runs at once rarely reach for the same port.
        foreach (var port in Enumerable.Range(55600, 101).OrderBy(_ => Random.Shared.Next()))
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken.
            }
        }
        throw new InvalidOperationException("No free port between 55600 and 55700.");
    }
}
