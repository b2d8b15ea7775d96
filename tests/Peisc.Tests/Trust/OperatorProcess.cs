using System.Diagnostics;

namespace Peisc.Tests.Trust;

public sealed record ProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    public string Both => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>Runs a program as an operator would from a shell, bounded in time.</summary>
public static class OperatorProcess
{
    /// <summary>The app's own command (<c>dotnet run --project src/Peisc.Web -- ARGS</c>), from its build output.</summary>
    public static Task<ProcessResult> RunAppAsync(params string[] args) =>
        RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [typeof(Program).Assembly.Location, .. args],
            Path.Combine(RepoFiles.Root, "src", "Peisc.Web")
        );

    /// <summary>The newest installed PostgreSQL's own tool (pg_dump, pg_restore).</summary>
    public static string PostgresTool(string name) =>
        Directory
            .GetDirectories("/usr/lib/postgresql")
            .OrderBy(d =>
                int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)
            )
            .Select(d => Path.Combine(d, "bin", name))
            .Last(File.Exists);

    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IDictionary<string, string>? environment = null
    )
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{program} {string.Join(' ', args)} ran for over two minutes"
            );
        }
        return new ProcessResult(process.ExitCode, await output, await error, watch.Elapsed);
    }
}
