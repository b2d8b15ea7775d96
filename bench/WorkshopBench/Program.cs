// Live-session benchmark: N guests join one session over SignalR; measures "next item" until every
// participant has it, and a participant's answer until the shared screen's tally shows it.
// Usage: WorkshopBench <base-url> [participants=500] [rounds=30] [answers=100]
// Loopback only; every wait has a time limit and the whole run stops after ten minutes.
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5000");
if (!IPAddress.TryParse(baseUrl.Host, out var ip) || !IPAddress.IsLoopback(ip))
{
    Console.Error.WriteLine("The benchmark talks to a loopback address only.");
    return 2;
}
var participants =
    args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500;
var rounds =
    args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30;
var answers =
    args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100;
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = deadline.Token;
var wait = TimeSpan.FromSeconds(10);

void Log(string message) => Console.Error.WriteLine($"[workshop-bench] {message}");

// --- The facilitator starts a session and opens the shared screen --------------------------
var facilitator = new Person(baseUrl);
await facilitator.SignInAsync("facilitator@demo.peisc.example", "demo-password-2026", ct);
var reviews = await facilitator.GetAsync("/reviews", ct);
var reviewId = Regex.Match(reviews, "href=\"/reviews/([0-9a-f-]{36})\"").Groups[1].Value;
var start = await facilitator.GetAsync($"/reviews/{reviewId}/workshops", ct);
var started = await facilitator.PostAsync(
    $"/reviews/{reviewId}/workshops",
    start,
    new() { ["Scope"] = "all" },
    ct
);
var sessionPath = started.Headers.Location!.OriginalString;
var console = await facilitator.GetAsync(sessionPath, ct);
var code = Regex.Match(console, "app-join-code\">([A-Z0-9-]{9})<").Groups[1].Value;
var projectorPage = await facilitator.GetAsync(sessionPath + "/projector", ct);
var tallies = System.Threading.Channels.Channel.CreateUnbounded<long>();
await facilitator.ConnectAsync(projectorPage, ct);
facilitator.Hub!.On<object>("tally", _ => tallies.Writer.TryWrite(Stopwatch.GetTimestamp()));
Log($"session {sessionPath}, join code {code}");

// --- Participants join as guests and connect -------------------------------------------------
var people = new Person[participants];
var itemTimes = new long[participants];
var itemCount = 0;
var allArrived = new SemaphoreSlim(0);
var joinWatch = Stopwatch.StartNew();
await Parallel.ForAsync(
    0,
    participants,
    new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
    async (i, token) =>
    {
        var person = new Person(baseUrl);
        var join = await person.GetAsync("/join", token);
        var named = await person.PostPageAsync("/join", join, new() { ["Code"] = code }, token);
        var joined = await person.PostAsync(
            "/join",
            named,
            new()
            {
                ["Code"] = code,
                ["AskName"] = "true",
                ["Name"] = $"Participant {i + 1}",
            },
            token
        );
        var page = await person.GetAsync(joined.Headers.Location!.OriginalString, token);
        person.TakePartPath = joined.Headers.Location!.OriginalString;
        person.TakePartPage = page;
        await person.ConnectAsync(page, token);
        person.Hub!.On<object>(
            "item",
            _ =>
            {
                itemTimes[i] = Stopwatch.GetTimestamp();
                if (Interlocked.Increment(ref itemCount) == participants)
                {
                    allArrived.Release();
                }
            }
        );
        people[i] = person;
    }
);
Log($"{participants} participants joined and connected in {joinWatch.Elapsed.TotalSeconds:0.0} s");

// --- Next item: until every participant has it ----------------------------------------------
var perParticipant = new List<double>();
var perRound = new List<double>();
for (var round = 0; round < rounds; round++)
{
    Array.Clear(itemTimes);
    Interlocked.Exchange(ref itemCount, 0);
    var sent = Stopwatch.GetTimestamp();
    var moved = await facilitator.PostAsync(
        $"{sessionPath}?handler=Go&to={round + 1}",
        console,
        [],
        ct
    );
    if (moved.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"Next item answered {(int)moved.StatusCode}");
    }
    if (!await allArrived.WaitAsync(wait, ct))
    {
        throw new TimeoutException(
            $"Round {round + 1}: only {itemCount} of {participants} had the item after {wait.TotalSeconds} s"
        );
    }
    var times = itemTimes.Select(t => Stopwatch.GetElapsedTime(sent, t).TotalMilliseconds).ToList();
    perParticipant.AddRange(times);
    perRound.Add(times.Max());
    await Task.Delay(100, ct);
}
var itemId = await CurrentItemAsync(people[0]);

// --- A participant's answer: until the shared screen's tally shows it -------------------------
var toTally = new List<double>();
string[] positions = ["Addressed", "PartlyAddressed", "Concern", "NotApplicable"];
for (var n = 0; n < answers; n++)
{
    var person = people[n * 7 % participants];
    var sent = Stopwatch.GetTimestamp();
    var answered = await person.PostAsync(
        person.TakePartPath!,
        person.TakePartPage!,
        new()
        {
            ["ItemId"] = itemId,
            ["Position"] = positions[n % positions.Length],
            ["Note"] = $"Note {n}",
        },
        ct
    );
    if (answered.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"An answer was refused: {(int)answered.StatusCode}");
    }
    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
    timeout.CancelAfter(wait);
    var shown = await tallies.Reader.ReadAsync(timeout.Token);
    toTally.Add(Stopwatch.GetElapsedTime(sent, shown).TotalMilliseconds);
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

string Row(string what, List<double> v) =>
    $"| {what} | {v.Count} | {Percentile(v, 50):0} | {Percentile(v, 99):0} | {v.Max():0} |";

Console.WriteLine("| Measure | samples | p50 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Console.WriteLine(
    Row($"Next item → every one of {participants} participants has it (per round)", perRound)
);
Console.WriteLine(
    Row("Next item → each participant has it (per participant and round)", perParticipant)
);
Console.WriteLine(
    Row($"Answer → shared screen's tally shows it ({participants} connected)", toTally)
);

foreach (var person in people)
{
    await person.DisposeAsync();
}
await facilitator.DisposeAsync();
return 0;

async Task<string> CurrentItemAsync(Person person)
{
    var page = await person.GetAsync(person.TakePartPath!, ct);
    person.TakePartPage = page;
    return Regex.Match(page, "name=\"ItemId\" value=\"([^\"]+)\"").Groups[1].Value;
}

/// <summary>One browser: a cookie jar, the pages it has read, and a SignalR connection.</summary>
sealed partial class Person(Uri baseUrl) : IAsyncDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _http;

    private HttpClient Http =>
        _http ??= new HttpClient(
            new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }
        )
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public HubConnection? Hub { get; private set; }
    public string? TakePartPath { get; set; }
    public string? TakePartPage { get; set; }

    public async Task<string> GetAsync(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(path, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }
        return await response.Content.ReadAsStringAsync(ct);
    }

    public async Task<HttpResponseMessage> PostAsync(
        string path,
        string fromPage,
        Dictionary<string, string> fields,
        CancellationToken ct
    )
    {
        fields["__RequestVerificationToken"] = Token().Match(fromPage).Groups[1].Value;
        return await Http.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    public async Task<string> PostPageAsync(
        string path,
        string fromPage,
        Dictionary<string, string> fields,
        CancellationToken ct
    )
    {
        using var response = await PostAsync(path, fromPage, fields, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    public async Task SignInAsync(string email, string password, CancellationToken ct)
    {
        var page = await GetAsync("/account/sign-in", ct);
        using var response = await PostAsync(
            "/account/sign-in",
            page,
            new() { ["Input.Email"] = email, ["Input.Password"] = password },
            ct
        );
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {email} failed");
        }
    }

    public async Task ConnectAsync(string page, CancellationToken ct)
    {
        Hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/workshops/hub"), o => o.Cookies = _cookies)
            .Build();
        await Hub.StartAsync(ct);
        await Hub.InvokeAsync(
            "Watch",
            WebUtility.HtmlDecode(WatchToken().Match(page).Groups[1].Value),
            ct
        );
    }

    public async ValueTask DisposeAsync()
    {
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }
        _http?.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("data-watch-token=\"([^\"]+)\"")]
    private static partial Regex WatchToken();
}
