using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

// trust.md, Operations: graceful shutdown under load loses no in-flight request; when the database
// goes away the app answers 503 and recovers by itself when it returns.
public sealed class OperationsTests(ITestOutputHelper output)
{
    private const int Savers = 8;
    private const int Readers = 2;
    private const int MaxRequestsPerWorker = 400;

    private enum Outcome
    {
        Completed,
        Refused,

        // A kept-alive connection the server closed as it stopped, before it read this request: nothing of the
        // request was started (RFC 9112 section 9.3.1; a client retries elsewhere). For saves the restart check
        // below proves it: no save newer than the last acknowledged one is stored.
        ClosedUnread,
        CutOff,
    }

    [Theory, BothDatabases]
    public async Task Stop_UnderLoad_FinishesEveryRequestItStartedAndKeepsEverySave(Db db)
    {
        // The seeding host shares the database with the app process; it serves no requests.
        await using var seed = new TestApp(db);
        var org = await seed.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await seed.CreateReviewAsync(org);
        var token = await seed.CreateAccessTokenAsync(org, org[MemberRole.Contributor]);
        var items = ReviewData
            .Peisc.AllCells.SelectMany(c => c.Items)
            .Select(i => i.Id)
            .Take(Savers)
            .ToList();
        var settings = new Dictionary<string, string>
        {
            ["DataDirectory"] = seed.DataDirectory,
            ["Database:Provider"] = db == Db.Postgres ? "Postgres" : "Sqlite",
            ["Security:RequireHttps"] = "false",
            ["Security:RequireTwoFactorForOwners"] = "false",
            ["Demo:Enabled"] = "false",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        if (seed.PostgresConnectionString is { } connectionString)
        {
            settings["Database:ConnectionString"] = connectionString;
        }

        var app = await AppProcess.StartAsync(settings);
        await using (app)
        {
            using var reader = SocketClient(app.Address, token: null);
            await reader.SignInAsync(org.Owner.Email);

            var inFlight = 0;
            var acknowledged = 0;
            var outcomes = new List<(Outcome Outcome, string What)>();
            var lastAck = new (int Version, string Reasoning)[Savers];
            using var stopped = new CancellationTokenSource();

            async Task<Outcome> SendAsync(Func<Task<HttpResponseMessage>> send, string what)
            {
                Interlocked.Increment(ref inFlight);
                Outcome outcome;
                string detail;
                try
                {
                    using var response = await send();
                    outcome = response.IsSuccessStatusCode ? Outcome.Completed : Outcome.CutOff;
                    detail = $"{what}: {(int)response.StatusCode}";
                }
                catch (HttpRequestException e) when (IsConnectionRefused(e))
                {
                    outcome = Outcome.Refused;
                    detail = $"{what}: refused";
                }
                catch (HttpRequestException e) when (IsClosedBeforeAnyResponse(e))
                {
                    outcome = Outcome.ClosedUnread;
                    detail = $"{what}: connection closed before a response";
                }
                catch (Exception e)
                    when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    outcome = Outcome.CutOff;
                    detail = $"{what}: {e.GetType().Name} {e.Message} {e.InnerException?.Message}";
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
                lock (outcomes)
                {
                    outcomes.Add((outcome, detail));
                }
                return outcome;
            }

            async Task SaveLoopAsync(int worker)
            {
                using var client = SocketClient(app.Address, token);
                var version = 0;
                for (var n = 0; n < MaxRequestsPerWorker; n++)
                {
                    var reasoning = $"Save {n} by worker {worker}";
                    var sentVersion = version;
                    int? acked = null;
                    var outcome = await SendAsync(
                        async () =>
                        {
                            var response = await client.PutAsJsonAsync(
                                $"/api/v1/reviews/{review.Id}/answers/{items[worker]}",
                                new
                                {
                                    position = "Concern",
                                    reasoning,
                                    version = sentVersion,
                                }
                            );
                            if (response.IsSuccessStatusCode)
                            {
                                using var json = JsonDocument.Parse(
                                    await response.Content.ReadAsStringAsync()
                                );
                                acked = json.RootElement.GetProperty("version").GetInt32();
                            }
                            return response;
                        },
                        $"save {worker}.{n}"
                    );
                    if (outcome != Outcome.Completed)
                    {
                        return;
                    }
                    version = acked!.Value;
                    lastAck[worker] = (version, reasoning);
                    Interlocked.Increment(ref acknowledged);
                }
            }

            async Task ReadLoopAsync(int worker)
            {
                for (var n = 0; n < MaxRequestsPerWorker; n++)
                {
                    var path = n % 2 == 0 ? "/organisation" : $"/reviews/{review.Id}";
                    if (
                        await SendAsync(() => reader.GetAsync(path), $"read {worker}.{n}")
                        != Outcome.Completed
                    )
                    {
                        return;
                    }
                }
            }

            var workers = Enumerable
                .Range(0, Savers)
                .Select(w => Task.Run(() => SaveLoopAsync(w)))
                .Concat(Enumerable.Range(0, Readers).Select(w => Task.Run(() => ReadLoopAsync(w))))
                .ToList();

            // Let the load build up, then stop the app the way a server stops it.
            var loading = Stopwatch.StartNew();
            while (
                Volatile.Read(ref acknowledged) < 100 && loading.Elapsed < TimeSpan.FromSeconds(20)
            )
            {
                await Task.Delay(20);
            }
            var inFlightAtStop = Volatile.Read(ref inFlight);
            var acknowledgedAtStop = Volatile.Read(ref acknowledged);
            var stopping = Stopwatch.StartNew();
            app.Terminate();
            Assert.True(
                await app.WaitForExitAsync(TimeSpan.FromSeconds(45)),
                "The app did not stop within 45 s"
            );
            stopping.Stop();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

            var completed = outcomes.Count(o => o.Outcome == Outcome.Completed);
            var refused = outcomes.Count(o => o.Outcome == Outcome.Refused);
            var closedUnread = outcomes.Count(o => o.Outcome == Outcome.ClosedUnread);
            var cutOff = outcomes
                .Where(o => o.Outcome == Outcome.CutOff)
                .Select(o => o.What)
                .ToList();
            output.WriteLine(
                $"{db}: {inFlightAtStop} requests in flight at SIGTERM ({acknowledgedAtStop} saves acknowledged by then); "
                    + $"{outcomes.Count} requests in all: {completed} completed, {refused} refused before they started, {closedUnread} on kept-alive connections closed before they were read, {cutOff.Count} cut off; "
                    + $"stopped in {stopping.ElapsedMilliseconds} ms, exit code {app.ExitCode}"
            );
            Assert.True(inFlightAtStop > 0, "Nothing was in flight when the app was asked to stop");
            Assert.Empty(cutOff);
            Assert.Equal(0, app.ExitCode);

            // After a restart, every acknowledged save is there, and nothing newer that was never acknowledged.
            var again = await AppProcess.StartAsync(settings);
            await using (again)
            {
                using var api = SocketClient(again.Address, token);
                var answers = await api.GetFromJsonAsync<JsonElement>(
                    $"/api/v1/reviews/{review.Id}/answers"
                );
                var stored = answers
                    .GetProperty("answers")
                    .EnumerateArray()
                    .ToDictionary(
                        a => a.GetProperty("itemId").GetString()!,
                        a =>
                            (
                                a.GetProperty("version").GetInt32(),
                                a.GetProperty("reasoning").GetString() ?? ""
                            )
                    );
                for (var w = 0; w < Savers; w++)
                {
                    Assert.Equal(lastAck[w], stored[items[w]]);
                }
                output.WriteLine(
                    $"After restart: {Volatile.Read(ref acknowledged)} acknowledged saves, the last of each of {Savers} items present"
                );
            }
        }
    }

    [Theory, BothDatabases]
    public async Task DatabaseGone_PagesAndApiAnswerServiceUnavailable_AndRecoverWhenItReturns(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var owner = await app.SignedInAsync(org.Owner);
        var api = app.ApiClient(await app.CreateAccessTokenAsync(org, org[MemberRole.Contributor]));
        var item = ReviewData.Peisc.AllCells.First().Items[0].Id;
        var pages = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count == 0)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p =>
                !p.StartsWith("/api", StringComparison.Ordinal)
                && !p.StartsWith("/health", StringComparison.Ordinal)
                && !p.StartsWith("/openapi", StringComparison.Ordinal)
            )
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/organisation")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);
        var stranger = app.Browser();
        var signInPage = await stranger.GetPageAsync("/account/sign-in");

        await using var outage = await Outage.BeginAsync(app);

        var unavailable = 0;
        var problems = new List<string>();
        foreach (var path in pages.Append($"/reviews/{review.Id}"))
        {
            var response = await owner.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 && !IsUnavailablePage(response, body))
            {
                problems.Add($"{path}: {(int)response.StatusCode}");
            }
            unavailable += response.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }
        output.WriteLine(
            $"{db}: {unavailable} of {pages.Count + 1} pages answered 503 while the database was gone; the rest need no database"
        );
        Assert.Empty(problems);
        var home = await owner.GetAsync("/organisation");
        Assert.True(IsUnavailablePage(home, await home.Content.ReadAsStringAsync()));
        var signIn = await stranger.SubmitAsync(
            signInPage,
            new Dictionary<string, string>
            {
                ["Input.Email"] = org.Owner.Email,
                ["Input.Password"] = TestApp.Password,
            }
        );
        Assert.True(IsUnavailablePage(signIn, await signIn.Content.ReadAsStringAsync()));

        foreach (
            var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => api.GetAsync("/api/v1/reviews"),
                () => api.GetAsync($"/api/v1/reviews/{review.Id}/answers"),
                () =>
                    api.PutJsonAsync(
                        $"/api/v1/reviews/{review.Id}/answers/{item}",
                        new
                        {
                            position = "Concern",
                            reasoning = "While the database is away",
                            version = 0,
                        }
                    ),
            }
        )
        {
            var response = await request();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(
                "application/problem+json",
                response.Content.Headers.ContentType?.MediaType
            );
            Assert.NotNull(response.Headers.RetryAfter);
            var problem = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(503, problem.Number("status"));
            Assert.DoesNotContain(" at ", problem.Text("detail"), StringComparison.Ordinal);
        }

        await outage.EndAsync();
        var recovering = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await owner.GetAsync("/organisation")).StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        } while (status != HttpStatusCode.OK && recovering.Elapsed < TimeSpan.FromSeconds(30));
        recovering.Stop();

        output.WriteLine(
            $"{db}: the signed-in page answered again {recovering.ElapsedMilliseconds} ms after the database returned, with no restart"
        );
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(recovering.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reviews")).StatusCode);
        var saved = await api.PutJsonAsync(
            $"/api/v1/reviews/{review.Id}/answers/{item}",
            new
            {
                position = "Concern",
                reasoning = "After the database came back",
                version = 0,
            }
        );
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Browser().GetAsync("/health")).StatusCode);
    }

    private static bool IsUnavailablePage(HttpResponseMessage response, string body) =>
        response.StatusCode == HttpStatusCode.ServiceUnavailable
        && response.Headers.RetryAfter is not null
        && response.Content.Headers.ContentType?.MediaType == "text/html"
        && body.Contains("Sorry, the service is unavailable", StringComparison.Ordinal)
        && !body.Contains("Exception", StringComparison.Ordinal)
        && !body.Contains(" at Peisc", StringComparison.Ordinal);

    /// <summary>Takes the app's database away without stopping the shared server, and brings it back.</summary>
    private sealed class Outage : IAsyncDisposable
    {
        private readonly TestApp app;
        private bool ended;

        private Outage(TestApp app) => this.app = app;

        private string SqliteFile => Path.Combine(app.DataDirectory, "peisc.db");
        private string Aside => Path.Combine(app.DataDirectory, "aside");

        public static async Task<Outage> BeginAsync(TestApp app)
        {
            var outage = new Outage(app);
            if (app.Provider == Db.Postgres)
            {
                var name = new NpgsqlConnectionStringBuilder(
                    app.PostgresConnectionString
                ).Database!;
                await AdminAsync(
                    app,
                    $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false",
                    $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                );
                return outage;
            }
            // As if the disk went: the file is moved aside and its path cannot be opened. The pool's
            // idle connections would keep the old file open, so they go too.
            SqliteConnection.ClearAllPools();
            Directory.CreateDirectory(outage.Aside);
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(outage.SqliteFile + suffix))
                {
                    File.Move(
                        outage.SqliteFile + suffix,
                        Path.Combine(outage.Aside, "peisc.db" + suffix)
                    );
                }
            }
            Directory.CreateDirectory(outage.SqliteFile);
            return outage;
        }

        public async Task EndAsync()
        {
            ended = true;
            if (app.Provider == Db.Postgres)
            {
                var name = new NpgsqlConnectionStringBuilder(
                    app.PostgresConnectionString
                ).Database!;
                await AdminAsync(app, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true");
                return;
            }
            Directory.Delete(SqliteFile);
            foreach (var file in Directory.GetFiles(Aside))
            {
                File.Move(file, Path.Combine(app.DataDirectory, Path.GetFileName(file)));
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!ended)
            {
                await EndAsync();
            }
        }

        private static async Task AdminAsync(TestApp app, params string[] commands)
        {
            var builder = new NpgsqlConnectionStringBuilder(app.PostgresConnectionString)
            {
                Database = "postgres",
                Pooling = false,
            };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            foreach (var text in commands)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = text;
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private static HttpClient SocketClient(Uri address, string? token)
    {
        var client = new HttpClient(
            new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            }
        )
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer",
                token
            );
        }
        return client;
    }

    // The server closed the connection (or reset it) without a byte of response.
    private static bool IsClosedBeforeAnyResponse(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.ResponseEnded)
        {
            return true;
        }
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (
                inner
                is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }
                    or SocketException
                    {
                        SocketErrorCode: SocketError.ConnectionReset
                            or SocketError.ConnectionAborted
                    }
            )
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsConnectionRefused(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }
        return false;
    }
}
