using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Peisc.Tests.Trust;

/// <summary>
/// The app run as an operator runs it: its own process (<c>dotnet Peisc.Web.dll</c>, as built into the
/// test output), Kestrel on a free loopback port, Production settings plus the given ones. It can be
/// stopped the hard way, <see cref="KillAsync"/> (SIGKILL: no shutdown code runs at all), or the way a
/// server stops it, <see cref="Terminate"/> (SIGTERM, then Kestrel's graceful shutdown).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the app wrote to its console, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app and waits until /health answers 200 (or fails with its output).</summary>
    public static async Task<AppProcess> StartAsync(
        IReadOnlyDictionary<string, string> settings,
        TimeSpan? timeout = null
    )
    {
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "Peisc.Web.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The app is not in the test output.", dll);
        }
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo
        {
            // The host the tests run under, so the app runs on the same runtime.
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(directory);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var client = new HttpClient
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(5),
        };
        var until = Stopwatch.StartNew();
        while (until.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                // Without a timeout this also waits for the redirected output to be read to its end.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"The app stopped while starting (exit code {_process.ExitCode}):\n{Output}"
                );
            }
            try
            {
                using var response = await client.GetAsync(new Uri("health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"The app did not answer /health with 200 within {timeout}:\n{Output}"
        );
    }

    /// <summary>What systemd, Docker or Kubernetes send to stop a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(
            "kill",
            ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        );
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: the process ends mid-whatever, with no shutdown code run.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
