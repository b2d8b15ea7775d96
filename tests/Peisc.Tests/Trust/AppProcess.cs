using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Peisc.Tests.Trust;

/// <summary>
/// The built application run as its own process on a loopback port, as it runs in production, so
/// that it can be stopped the way a server stops it: SIGTERM, then Kestrel's graceful shutdown.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<Uri> listening = new(
        TaskCreationOptions.RunContinuationsAsynchronously
    );
    private readonly List<string> log = [];

    private AppProcess(IDictionary<string, string> settings)
    {
        var appDirectory = Path.Combine(RepoFiles.Root, "src", "Peisc.Web");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltApp(appDirectory));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        start.Environment["Security__RequireHttps"] = "false";
        start.Environment["Security__RequireTwoFactorForOwners"] = "false";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Seen(e.Data);
        process.ErrorDataReceived += (_, e) => Seen(e.Data);
    }

    public Uri Address { get; private set; } = default!;

    public int ExitCode => process.ExitCode;

    public string Log
    {
        get
        {
            lock (log)
            {
                return string.Join('\n', log);
            }
        }
    }

    public static async Task<AppProcess> StartAsync(IDictionary<string, string> settings)
    {
        var app = new AppProcess(settings);
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        var started = await Task.WhenAny(
            app.listening.Task,
            app.process.WaitForExitAsync(),
            Task.Delay(TimeSpan.FromSeconds(60))
        );
        if (started != app.listening.Task)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The app did not start:\n{app.Log}");
        }
        app.Address = await app.listening.Task;
        return app;
    }

    /// <summary>What systemd, Docker or Kubernetes send to stop a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(
            "kill",
            ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        );
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Seen(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.Add(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // The app built alongside these tests, in the same configuration (bin/<config>/net10.0).
    private static string BuiltApp(string appDirectory)
    {
        var testOutput = new DirectoryInfo(
            AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)
        );
        var path = Path.Combine(
            appDirectory,
            "bin",
            testOutput.Parent!.Name,
            testOutput.Name,
            "Peisc.Web.dll"
        );
        Assert.True(File.Exists(path), $"The app is not built at {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
