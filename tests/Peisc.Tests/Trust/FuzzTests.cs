using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Peisc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md I1: thousands of malformed requests over every form and every API endpoint (found from
/// EndpointDataSource), from a seeded generator so any failure can be replayed. Set PEISC_FUZZ_SEED
/// to replay a run (the seed is printed at the start of each run), PEISC_FUZZ_COUNT to change its size.
/// </summary>
[Trait("Stage", "Heavy")]
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    public enum Kind
    {
        LongValue,
        InvalidUtf8,
        ControlCharacters,
        BidiAndZeroWidth,
        BadId,
        DuplicateParameters,
        WrongContentType,
        MalformedBody,
        BadQuery,
        OddMethod,
        ForgedToken,
    }

    // Just over Kestrel's default limit of 30,000,000 bytes, and over every larger limit the app sets.
    private const int Huge = 31 * 1024 * 1024;

    private const int Workers = 3;

    // Each failure is reported with its request; thousands of logged exceptions would only slow the run.
    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["Logging:LogLevel:Default"] = "Critical",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Critical",
        ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "Error",
    };

    [Theory]
    [InlineData(Db.Sqlite, 10_000)]
    [InlineData(Db.Postgres, 2_000)]
    public async Task MalformedRequests_EveryFormAndEndpoint_NoServerErrorNorStackTrace(
        Db db,
        int count
    )
    {
        var seed = Environment.GetEnvironmentVariable("PEISC_FUZZ_SEED")
            is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        if (Environment.GetEnvironmentVariable("PEISC_FUZZ_COUNT") is { Length: > 0 } fixedCount)
        {
            count = int.Parse(fixedCount, CultureInfo.InvariantCulture);
        }
        output.WriteLine($"Seed {seed} (replay with PEISC_FUZZ_SEED={seed})");
        await using var app = new TestApp(db, Quiet) { CollectLogs = true };
        var site = await TrustSite.CreateAsync(app);
        var targets = site.Targets;
        output.WriteLine(
            $"{site.Endpoints.Count} endpoints, {targets.Count} targets "
                + $"({targets.Count(t => t.IsPage && t.Method == "POST")} form posts, {targets.Count(t => t.IsApi)} API)"
        );

        var failures = new ConcurrentQueue<string>();
        var kinds = new ConcurrentDictionary<Kind, int>();
        var statuses = new ConcurrentDictionary<int, int>();
        var coveredTargets = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();

        // Destructive handlers (delete, remove, end, sign out) go last, so they cannot empty the
        // organisation under the rest of the run.
        var order = Enumerable
            .Range(0, count)
            .Select(i => (Index: i, Case: Plan(seed, i, targets)))
            .OrderBy(c => IsDestructive(c.Case.Target) ? 1 : 0)
            .ThenBy(c => c.Index)
            .ToList();
        var workers = new List<Task>();
        for (var w = 0; w < Workers; w++)
        {
            var slice = order.Where((_, n) => n % Workers == w).ToList();
            workers.Add(
                Task.Run(async () =>
                {
                    var worker = await Worker.CreateAsync(site);
                    foreach (var (index, planned) in slice)
                    {
                        var (request, expected) = Build(planned, worker, site);
                        var client =
                            planned.Anonymous ? worker.Anonymous
                            : planned.Target.IsApi ? worker.Api
                            : worker.Owner;
                        HttpResponseMessage response;
                        string body;
                        try
                        {
                            response = await client.SendAsync(request);
                            body = await response.Content.ReadAsStringAsync();
                            if (
                                SentToSignIn(response)
                                && !planned.Anonymous
                                && !planned.Target.IsApi
                            )
                            {
                                // An earlier request of this worker (a fuzzed sign-out, an ended
                                // session) signed it out: sign in again and send this one again, so
                                // it is judged on a live session, as planned.
                                await worker.SignInAgainAsync();
                                (request, expected) = Build(planned, worker, site);
                                response = await worker.Owner.SendAsync(request);
                                body = await response.Content.ReadAsStringAsync();
                            }
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            failures.Enqueue(
                                $"#{index} {planned.Kind} {request.Method} {Show(request)}: the request failed: {ex.GetType().Name} {ex.Message}"
                            );
                            continue;
                        }
                        var status = (int)response.StatusCode;
                        kinds.AddOrUpdate(planned.Kind, 1, (_, n) => n + 1);
                        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                        coveredTargets.TryAdd(planned.Target.ToString(), 0);
                        var problem =
                            status >= 500 ? $"status {status}"
                            : StackTrace().IsMatch(body)
                                ? $"a stack trace or exception name: {StackTrace().Match(body).Value}"
                            : expected is not null && !expected.Contains(status)
                                ? $"status {status}, expected {string.Join(" or ", expected)}"
                            : null;
                        if (problem is not null)
                        {
                            failures.Enqueue(
                                $"#{index} {planned.Kind} {(planned.Anonymous ? "anonymous" : "signed in")} {request.Method} {Show(request)}: {problem}"
                            );
                        }
                        if (SentToSignIn(response) && !planned.Anonymous && !planned.Target.IsApi)
                        {
                            // A sign-out handler was fuzzed successfully: sign in again.
                            await worker.SignInAgainAsync();
                        }
                    }
                })
            );
        }
        await Task.WhenAll(workers);
        clock.Stop();

        output.WriteLine($"{count} requests in {clock.Elapsed.TotalSeconds:F1} s on {db}");
        foreach (var (kind, n) in kinds.OrderBy(k => k.Key))
        {
            output.WriteLine($"  {kind, -20} {n, 6}");
        }
        output.WriteLine("Status codes:");
        foreach (var (status, n) in statuses.OrderBy(s => s.Key))
        {
            output.WriteLine($"  {status} {n, 6}");
        }
        output.WriteLine($"{coveredTargets.Count} of {targets.Count} targets hit");
        var shown = failures.Take(40).ToList();
        Assert.True(
            failures.IsEmpty,
            $"Seed {seed}: {failures.Count} bad responses:\n{string.Join('\n', shown)}"
                + $"\nWhat the app logged:\n{string.Join('\n', ServerErrors(app))}"
        );
        Assert.Equal(count, kinds.Values.Sum());
        Assert.Equal(targets.Count, coveredTargets.Count);
    }

    /// <summary>
    /// trust.md I1, last column: a form refused for what was typed comes back with it. Every text
    /// field of every form is over-long and full of what people paste (other scripts, quotes, markup,
    /// a right-to-left mark, an emoji); each form that comes back holds exactly what was typed.
    /// </summary>
    [Theory, BothDatabases]
    public async Task OverLongText_EveryForm_ComesBackWithWhatWasTyped(Db db)
    {
        await using var app = new TestApp(db, Quiet);
        var (_, refused) = await PostEveryFormAsync(app, Pasted, shownAs: typed => typed);
        Assert.True(refused > 0, "No form refused over-long text, so nothing was checked");
    }

    /// <summary>
    /// Text holding NUL (pasted from a binary file; PostgreSQL cannot store it) in every text field of
    /// every form, sent as multipart (whose values ASP.NET Core passes on as they are): never a server
    /// error, and the form is taken without the NUL, or comes back showing everything else typed.
    /// (A URL-encoded form holding %00 is refused with 400 by ASP.NET Core's form reader before any
    /// page runs; the fuzz suite sends those.) Afterwards no cell of any table holds NUL.
    /// </summary>
    [Theory, BothDatabases]
    public async Task TextHoldingNul_EveryForm_IsKeptWithoutIt(Db db)
    {
        await using var app = new TestApp(db, Quiet);
        var (taken, _) = await PostEveryFormAsync(
            app,
            field => $"Field {field}\0 pasted\0",
            shownAs: typed => typed.Replace("\0", "", StringComparison.Ordinal),
            multipart: true
        );
        Assert.True(taken > 0, "No form took text holding NUL, so nothing was stored");
        var scan = await app.ScanAsync(["\0"]);
        Assert.Empty(scan.Hits);
        Assert.NotEmpty((await app.ScanAsync([" pasted"])).Hits);
    }

    /// <summary>
    /// Posts every form the owner sees with a text field, with every text field filled by paste(n).
    /// Either the form is taken, or the page comes back with a GOV.UK error summary and each field
    /// showing shownAs(what was typed). Passwords are left as they were: a page never sends a password back.
    /// </summary>
    private async Task<(int Taken, int Refused)> PostEveryFormAsync(
        TestApp app,
        Func<int, string> paste,
        Func<string, string> shownAs,
        bool multipart = false
    )
    {
        var site = await TrustSite.CreateAsync(app);
        var (client, token) = await site.OwnerBrowserAsync();
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var failures = new List<string>();
        int taken = 0,
            refused = 0;
        var forms = site
            .Forms.Where(f => f.TextFields.Any(IsTypedInto))
            // Destructive forms last, so they cannot take away what the others post to.
            .OrderBy(f => f.Action.Contains("delete", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .ToList();
        foreach (var form in forms)
        {
            var typed = form
                .TextFields.Where(IsTypedInto)
                .Distinct()
                .Select((name, n) => (name, Value: paste(n)))
                .ToDictionary(t => t.name, t => t.Value);
            List<KeyValuePair<string, string>> Fields() =>
                form
                    .Fields.Select(f =>
                        f.Key == "__RequestVerificationToken" ? new(f.Key, token)
                        : typed.TryGetValue(f.Key, out var value) ? new(f.Key, value)
                        : f
                    )
                    .ToList();
            HttpContent Body() =>
                multipart ? Multipart(Fields()) : new FormUrlEncodedContent(Fields());
            var response = await client.PostAsync(form.Action, Body());
            if (SentToSignIn(response))
            {
                // An earlier form (ending a session, leaving) signed the owner out: sign in again.
                (client, token) = await site.OwnerBrowserAsync();
                response = await client.PostAsync(form.Action, Body());
            }
            var status = (int)response.StatusCode;
            if (status is 302 or 303)
            {
                taken++;
                continue;
            }
            var name = $"{form.Action} (from {form.PagePath})";
            if (status != 200 && status != 400)
            {
                failures.Add($"{name}: {status}");
                continue;
            }
            refused++;
            var page = parser.ParseDocument(await response.Content.ReadAsStringAsync());
            if (page.QuerySelector(".govuk-error-summary") is null)
            {
                failures.Add($"{name}: {status} without an error summary");
            }
            foreach (var (field, value) in typed)
            {
                var element = page.QuerySelectorAll("[name]")
                    .FirstOrDefault(e => e.GetAttribute("name") == field);
                var shown = element switch
                {
                    AngleSharp.Html.Dom.IHtmlTextAreaElement area => area.Value,
                    AngleSharp.Html.Dom.IHtmlInputElement input => input.Value,
                    _ => null,
                };
                if (shown is null)
                {
                    failures.Add($"{name}: the field {field} is not on the page that came back");
                }
                else if (Normalise(shown) != Normalise(shownAs(value)))
                {
                    failures.Add(
                        $"{name}: the field {field} came back as {shown.Length} characters unlike what was expected ({shownAs(value).Length})"
                    );
                }
            }
        }
        output.WriteLine(
            $"{forms.Count} forms with text fields: {refused} came back with an error, {taken} were taken"
        );
        output.WriteLine(
            string.Join('\n', forms.Select(f => $"  {f.Action}: {string.Join(", ", f.TextFields)}"))
        );
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        return (taken, refused);

        static bool IsTypedInto(string field) =>
            !field.Contains("password", StringComparison.OrdinalIgnoreCase);

        // A browser sends a textarea's line breaks as CRLF and shows them back as LF.
        static string Normalise(string text) =>
            text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Multipart(
        IEnumerable<KeyValuePair<string, string>> fields
    )
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }
        return content;
    }

    // About 12,000 characters: longer than any limit the app sets, and different for each field.
    private static string Pasted(int field) =>
        string.Concat(
            Enumerable.Repeat(
                $"Field {field}: Ünïcödé – ‘quoted’ & <b>not bold</b> עברית \u202Ereversed\u202C 🙂 ",
                200
            )
        );

    /// <summary>
    /// A body over the limit, to every form and every API endpoint that takes one, through Kestrel on
    /// a loopback socket (the in-memory test server enforces no limit): 413 whenever the server comes
    /// to read it, never a server error, and never a body read past the limit.
    /// </summary>
    [Theory, BothDatabases]
    public async Task HugeBodies_EveryPostAndPut_PayloadTooLarge(Db db)
    {
        await using var app = new TestApp(db, Quiet, realServer: true);
        // Started first: with Kestrel, the factory's clients reach the app only once it listens.
        app.StartServer();
        var server = app.ServerAddress();
        var site = await TrustSite.CreateAsync(app, server);
        using var cookies = new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
        };
        using var owner = new HttpClient(cookies) { BaseAddress = server };
        await owner.SignInAsync(site.Org.Owner.Email);
        var token = (await owner.GetPageAsync("/account/tokens")).AntiforgeryToken!;
        var body = new byte[Huge];
        body.AsSpan().Fill((byte)'a');
        var targets = site
            .Targets.Where(t =>
                t.Method is "POST" or "PUT"
                && (t.IsPage || t.IsApi)
                && !t.Path.StartsWith("/account/sign-out", StringComparison.Ordinal)
            )
            .ToList();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();

        foreach (var target in targets)
        {
            var prefix = target.IsPage
                ? $"__RequestVerificationToken={Uri.EscapeDataString(token)}&Input.Title="
                : "{\"title\":\"";
            var bytes = (byte[])body.Clone();
            Encoding.ASCII.GetBytes(prefix).CopyTo(bytes, 0);
            var (status, continued, text) = await SendHugeAsync(
                server,
                target,
                target.IsPage ? "application/x-www-form-urlencoded" : "application/json",
                target.IsPage ? cookies.CookieContainer.GetCookieHeader(server) : null,
                token,
                target.IsPage ? null : site.OwnerToken,
                bytes
            );
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            // The server must never take in a body over the limit: when it comes to read one it
            // refuses with 413; a handler that answers without reading any of it (a redirect, a
            // "not found") never asked for the body (no "100 Continue"), and that is fine too.
            if (status >= 500 || status == 0 || (continued && status != 413))
            {
                failures.Add(
                    $"{target}: {status}{(continued ? " after asking for the body" : "")}"
                );
            }
            else if (StackTrace().IsMatch(text))
            {
                failures.Add($"{target}: {StackTrace().Match(text).Value}");
            }
        }

        foreach (var (status, n) in statuses.OrderBy(s => s.Key))
        {
            output.WriteLine($"  {status} {n, 4}");
        }
        output.WriteLine(
            $"{targets.Count} bodies of {Huge:N0} bytes in {clock.Elapsed.TotalSeconds:F1} s"
        );
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// Sends the headers of a request with a huge body and "Expect: 100-continue" on a raw loopback
    /// socket, as curl does, and the body only if the server asks for it: the status, whether the
    /// server asked, and the response text.
    /// </summary>
    private static async Task<(int Status, bool Continued, string Text)> SendHugeAsync(
        Uri server,
        SiteTarget target,
        string contentType,
        string? cookie,
        string token,
        string? bearer,
        byte[] body
    )
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{target.Method} {target.Url} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"RequestVerificationToken: {token}\r\n");
        if (!string.IsNullOrEmpty(cookie))
        {
            head.Append(CultureInfo.InvariantCulture, $"Cookie: {cookie}\r\n");
        }
        if (bearer is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {bearer}\r\n");
        }
        head.Append("Expect: 100-continue\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        // The first response head: an interim "100 Continue", or the final answer.
        var first = await ReadHeadAsync(stream, received, buffer, timeout.Token);
        if (first != 100)
        {
            await ReadToEndAsync(stream, received, buffer, timeout.Token);
            return (first, false, Encoding.UTF8.GetString(received.ToArray()));
        }
        try
        {
            await stream.WriteAsync(body, timeout.Token);
        }
        catch (IOException)
        {
            // The server answered and closed while the body was on its way: read what it said.
        }
        var rest = Encoding.ASCII.GetString(received.ToArray());
        var after = rest.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        received = new MemoryStream();
        received.Write(Encoding.ASCII.GetBytes(rest[after..]));
        var final = await ReadHeadAsync(stream, received, buffer, timeout.Token);
        await ReadToEndAsync(stream, received, buffer, timeout.Token);
        return (final, true, Encoding.UTF8.GetString(received.ToArray()));
    }

    private static async Task<int> ReadHeadAsync(
        Stream stream,
        MemoryStream received,
        byte[] buffer,
        CancellationToken cancel
    )
    {
        while (true)
        {
            var text = Encoding.ASCII.GetString(received.ToArray());
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                // "HTTP/1.1 413 Payload Too Large"
                return int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
            }
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancel);
            }
            catch (IOException)
            {
                read = 0;
            }
            if (read == 0)
            {
                return 0;
            }
            received.Write(buffer, 0, read);
        }
    }

    private static async Task ReadToEndAsync(
        Stream stream,
        MemoryStream received,
        byte[] buffer,
        CancellationToken cancel
    )
    {
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // The connection was reset after the answer: what arrived is the answer.
        }
    }

    /// <summary>One planned request: what it aims at, how it is malformed, and its own random numbers.</summary>
    private sealed record Planned(int Seed, SiteTarget Target, Kind Kind, bool Anonymous);

    private static Planned Plan(int seed, int index, List<SiteTarget> targets)
    {
        var random = new Random(unchecked(seed * 7919 + index));
        // Every target gets its turn first, then targets at random.
        var target = index < targets.Count ? targets[index] : targets[random.Next(targets.Count)];
        var kinds = Enum.GetValues<Kind>()
            .Where(k =>
                k switch
                {
                    Kind.ForgedToken => target.IsPage && target.Method == "POST",
                    Kind.MalformedBody or Kind.WrongContentType => target.Method is "POST" or "PUT",
                    _ => true,
                }
            )
            .ToList();
        var kind = kinds[random.Next(kinds.Count)];
        var anonymous = kind != Kind.ForgedToken && random.Next(10) == 0;
        return new Planned(random.Next(), target, kind, anonymous);
    }

    /// <summary>
    /// The exceptions the app logged, with the request each came from: requests run side by side, so
    /// a failure may depend on what another worker did and a replay of the seed need not repeat it.
    /// </summary>
    private static IEnumerable<string> ServerErrors(TestApp app) =>
        app
            .Logs.Where(r => r.Exception is not null)
            .Take(10)
            .Select(r =>
                $"{string.Join(' ', r.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).Where(p => p.Key is "RequestPath").Select(p => p.Value))}: {r.Exception}"
            );

    private static bool IsDestructive(SiteTarget target) =>
        target.Handler is { } h
            && (
                h.Contains("Delete", StringComparison.OrdinalIgnoreCase)
                || h.Contains("Remove", StringComparison.OrdinalIgnoreCase)
                || h.Contains("End", StringComparison.OrdinalIgnoreCase)
                || h.Contains("Revoke", StringComparison.OrdinalIgnoreCase)
                || h.Contains("Disable", StringComparison.OrdinalIgnoreCase)
                || h.Contains("Withdraw", StringComparison.OrdinalIgnoreCase)
            )
        || target.Path.StartsWith("/account/sign-out", StringComparison.Ordinal);

    private static readonly string[] BadIds =
    [
        "not-a-guid",
        "-1",
        "0",
        "99999999999999999999999999",
        "2147483648",
        "-9223372036854775809",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fappsettings.json",
        "..%5C..%5Cweb.config",
        "00000000-0000-0000-0000-000000000000",
        "{00000000-0000-0000-0000-000000000000}",
        // Not %00 in a path: the in-memory server refuses to carry it (Kestrel answers 400 itself).
        "%C3%28",
        "%FF%FE",
        "%E2%80%AE",
        "1e308",
        "NaN",
        "null",
        "%20",
        "a%2Fb",
        "x%3Cscript%3E",
        "%25%25",
    ];

    private static readonly string[] Controls =
    [
        "\0",
        "\u0001",
        "\u0007",
        "\b",
        "\t",
        "\n",
        "\v",
        "\f",
        "\r",
        "\u001b",
        "\u001f",
        "\u007f",
        "\u0085",
        "\u009b",
    ];

    private static readonly string[] Bidi =
    [
        "\u202E",
        "\u202D",
        "\u202A",
        "\u202B",
        "\u202C",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200B",
        "\u200C",
        "\u200D",
        "\u200E",
        "\u200F",
        "\u061C",
        "\uFEFF",
        "\u2060",
        "\u00AD",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28],
        [0xFF, 0xFE],
        [0xC0, 0xAF],
        [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80],
        [0xE2, 0x82],
        [0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] QueryNames =
    [
        "round",
        "page",
        "pageSize",
        "stage",
        "situation",
        "archived",
        "q",
        "Query",
        "returnUrl",
        "ReturnUrl",
        "handler",
        "filter",
        "status",
        "sort",
    ];

    private static readonly string[] BadQueries =
    [
        "%",
        "%%%",
        "a=%ZZ",
        "=&&==&",
        "handler=%00",
        "handler=..%2F..%2Fx",
        "handler=Nope",
        "round=-1",
        "round=1e99",
        "round=99999999999999999999",
        "round=0x10",
        "page=0",
        "page=-2147483648",
        "pageSize=2147483647",
        "archived=maybe",
        "returnUrl=%2F%2Fevil.example",
        "returnUrl=javascript:alert(1)",
        "ReturnUrl=%5C%5Cevil.example",
        "stage=..%2F..%2F",
        "situation=%FF",
        "q=%C3%28",
        "q[]=1&q[a]=2",
        "round=1&round=2&round=x",
    ];

    private static readonly string[] BrokenForms =
    [
        "a=%ZZ&&=&%",
        "=",
        "%",
        "&&&",
        "a",
        "a=b=c=d",
        "%E0%A4%A",
        "+++",
        // More fields than the server reads in one form (1,024).
        string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}={i}")),
    ];

    private static readonly string[] OddMethods =
    [
        "PUT",
        "DELETE",
        "PATCH",
        "OPTIONS",
        "TRACE",
        "HEAD",
        "PROPFIND",
        "FOO",
        "GET",
        "POST",
    ];

    private static (HttpRequestMessage Request, int[]? Expected) Build(
        Planned planned,
        Worker worker,
        TrustSite site
    )
    {
        var random = new Random(planned.Seed);
        var target = planned.Target;
        var fields = target
            .Fields.Select(f =>
                f.Key == "__RequestVerificationToken"
                    ? new KeyValuePair<string, string>(f.Key, worker.Token)
                    : f
            )
            .ToList();
        if (
            target.IsPage
            && target.Method == "POST"
            && fields.All(f => f.Key != "__RequestVerificationToken")
        )
        {
            fields.Add(new("__RequestVerificationToken", worker.Token));
        }
        var url = target.Url;
        var method = new HttpMethod(target.Method);
        var isBodyMethod = target.Method is "POST" or "PUT";
        int[]? expected = null;
        HttpContent? content = null;

        string Garnish(string text) => Insert(random, text, Pick(random, Controls));

        // A value in one field of the body (or every field), or in the query of a GET.
        void SendValue(string value, bool all)
        {
            if (isBodyMethod)
            {
                content = target.IsPage
                    ? Form(Replace(random, fields, value, all))
                    : Json(MutateJson(random, target.Json, value));
            }
            else
            {
                url = AddQuery(url, $"{Pick(random, QueryNames)}={Uri.EscapeDataString(value)}");
            }
        }

        switch (planned.Kind)
        {
            case Kind.LongValue:
            {
                var length = random.Next(100 * 1024, 300 * 1024);
                SendValue(Words(random, length), all: false);
                break;
            }
            case Kind.InvalidUtf8:
            {
                var bytes = Pick(random, InvalidUtf8);
                var escaped = string.Concat(bytes.Select(b => $"%{b:X2}"));
                if (isBodyMethod && random.Next(3) > 0)
                {
                    content = target.IsPage
                        ? RawForm(fields, random, bytes)
                        : RawJson(target.Json, bytes);
                }
                else if (
                    random.Next(2) == 0
                    && target.Template.Contains('{', StringComparison.Ordinal)
                )
                {
                    url = ReplaceRouteValue(random, target, site, "x" + escaped);
                }
                else
                {
                    url = AddQuery(url, $"{Pick(random, QueryNames)}={escaped}");
                    content = isBodyMethod ? Body(target, fields) : null;
                }
                break;
            }
            case Kind.ControlCharacters:
            case Kind.BidiAndZeroWidth:
            {
                var pool = planned.Kind == Kind.ControlCharacters ? Controls : Bidi;
                var value =
                    "Plain"
                    + string.Concat(
                        Enumerable
                            .Range(0, random.Next(1, 6))
                            .Select(_ => Pick(random, pool) + "text")
                    );
                SendValue(value, all: random.Next(2) == 0);
                break;
            }
            case Kind.BadId:
            {
                var bad = Pick(random, BadIds);
                url = target.Template.Contains('{', StringComparison.Ordinal)
                    ? ReplaceRouteValue(random, target, site, bad)
                    : target.Path.TrimEnd('/') + "/" + bad;
                if (random.Next(3) == 0)
                {
                    var guidField = fields.FindIndex(f => Guid.TryParse(f.Value, out _));
                    if (guidField >= 0)
                    {
                        fields[guidField] = new(fields[guidField].Key, Uri.UnescapeDataString(bad));
                    }
                }
                content = isBodyMethod ? Body(target, fields) : null;
                break;
            }
            case Kind.DuplicateParameters:
            {
                if (isBodyMethod && target.IsPage)
                {
                    var doubled = fields
                        .SelectMany(f =>
                            f.Key == "__RequestVerificationToken"
                                ? [f]
                                : new[] { f, new(f.Key, Garnish(Words(random, 8))) }
                        )
                        .ToList();
                    content = Form(doubled);
                }
                else if (isBodyMethod && target.Json is not null)
                {
                    // Duplicate keys: a JSON object naming the same property twice.
                    var json = target.Json;
                    content = Json(
                        json.Length > 2 && json[0] == '{'
                            ? "{\"title\":\"one\",\"title\":\"two\"," + json[1..]
                            : json
                    );
                }
                else
                {
                    content = isBodyMethod ? Body(target, fields) : null;
                }
                var name = Pick(random, QueryNames);
                url = AddQuery(url, $"{name}=1&{name}=two&{name}=");
                break;
            }
            case Kind.WrongContentType:
            {
                var choice = random.Next(7);
                var formBytes = Encoding.UTF8.GetBytes(FormText(fields));
                var jsonBytes = Encoding.UTF8.GetBytes(target.Json ?? "{\"title\":\"x\"}");
                content = choice switch
                {
                    0 => Typed(
                        target.IsPage ? jsonBytes : formBytes,
                        target.IsPage ? "application/json" : "application/x-www-form-urlencoded"
                    ),
                    1 => Typed(
                        Encoding.UTF8.GetBytes(
                            "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ngarbage"
                        ),
                        "multipart/form-data; boundary=b"
                    ),
                    2 => Typed(formBytes, "multipart/form-data"),
                    3 => Typed(target.IsPage ? formBytes : jsonBytes, null),
                    4 => Typed(target.IsPage ? formBytes : jsonBytes, "text/plain"),
                    5 => Typed(
                        target.IsPage ? formBytes : jsonBytes,
                        "application/x-www-form-urlencoded; charset=utf-16"
                    ),
                    _ => Typed(
                        Encoding.UTF8.GetBytes("\u0000\u0001garbage%%%"),
                        "application/octet-stream"
                    ),
                };
                if (target.IsPage)
                {
                    // With the token in the header, the request gets past antiforgery to the binder.
                    worker.AddTokenHeader = true;
                }
                if (target.IsApi && !planned.Anonymous && target.Json is not null)
                {
                    expected = [400, 403, 404, 415];
                }
                break;
            }
            case Kind.MalformedBody:
            {
                if (target.IsPage)
                {
                    var text = Pick(random, BrokenForms);
                    content = Typed(
                        Encoding.UTF8.GetBytes(FormText(fields) + "&" + text),
                        "application/x-www-form-urlencoded"
                    );
                }
                else
                {
                    var json = target.Json ?? "{\"title\":\"x\",\"number\":1}";
                    var broken = random.Next(8) switch
                    {
                        0 => json[..random.Next(1, Math.Max(2, json.Length - 1))],
                        1 => new string('[', 5000) + new string(']', 5000),
                        2 => json.Replace(
                            "\"A plain answer\"",
                            "[1,{\"a\":null}]",
                            StringComparison.Ordinal
                        ),
                        3 => json.Replace("1", "1e400", StringComparison.Ordinal)
                            .Replace("true", "\"yes\"", StringComparison.Ordinal),
                        4 => "",
                        5 => "{/* comment */ \"a\": 1,}",
                        6 => "{\"a\": NaN, \"b\": undefined}",
                        _ => "\"just a string\"",
                    };
                    content = Json(broken);
                    if (target.IsApi && !planned.Anonymous && target.Json is not null)
                    {
                        expected = [400, 403, 404, 413];
                    }
                }
                break;
            }
            case Kind.BadQuery:
            {
                var query = random.Next(6) switch
                {
                    0 => "x=" + new string('q', 60 * 1024),
                    1 => string.Join('&', Enumerable.Range(0, 3000).Select(i => $"p{i}={i}")),
                    _ => Pick(random, BadQueries),
                };
                url = AddQuery(url, query);
                content = isBodyMethod ? Body(target, fields) : null;
                break;
            }
            case Kind.OddMethod:
            {
                method = new HttpMethod(Pick(random, OddMethods));
                content = method.Method is "GET" or "HEAD" or "TRACE" ? null : Body(target, fields);
                break;
            }
            case Kind.ForgedToken:
            {
                var forged = random.Next(3) switch
                {
                    0 => fields.Where(f => f.Key != "__RequestVerificationToken").ToList(),
                    1 => fields
                        .Select(f =>
                            f.Key == "__RequestVerificationToken"
                                ? new KeyValuePair<string, string>(f.Key, f.Value[..^4] + "AAAA")
                                : f
                        )
                        .ToList(),
                    _ => fields
                        .Select(f =>
                            f.Key == "__RequestVerificationToken"
                                ? new KeyValuePair<string, string>(f.Key, "")
                                : f
                        )
                        .ToList(),
                };
                content = Form(forged);
                // The error page takes no form and says "not found" to any post. A form behind a
                // rate limit (a voice's link) may be refused for too many attempts before its token
                // is even looked at: that refuses the forgery too.
                expected = target.Path.StartsWith("/error", StringComparison.Ordinal)
                    ? [404]
                    : [400, 429];
                break;
            }
        }
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (worker.AddTokenHeader)
        {
            request.Headers.TryAddWithoutValidation("RequestVerificationToken", worker.Token);
            worker.AddTokenHeader = false;
        }
        return (request, expected);
    }

    private static ByteArrayContent? Body(
        SiteTarget target,
        List<KeyValuePair<string, string>> fields
    ) =>
        target.IsPage ? Form(fields)
        : target.Json is null ? null
        : Json(target.Json);

    private static ByteArrayContent Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        Typed(Encoding.UTF8.GetBytes(FormText(fields)), "application/x-www-form-urlencoded");

    private static string FormText(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join(
            '&',
            fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))
        );

    // A form whose values carry raw bytes that are not UTF-8, as a broken client would send.
    private static ByteArrayContent RawForm(
        List<KeyValuePair<string, string>> fields,
        Random random,
        byte[] bad
    )
    {
        using var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes(FormText(fields)));
        var name = fields.Count > 0 ? fields[random.Next(fields.Count)].Key : "Input.Title";
        body.Write(Encoding.UTF8.GetBytes($"&{Uri.EscapeDataString(name)}=abc"));
        body.Write(bad);
        body.Write("def"u8);
        return Typed(body.ToArray(), "application/x-www-form-urlencoded");
    }

    private static ByteArrayContent RawJson(string? json, byte[] bad)
    {
        using var body = new MemoryStream();
        body.Write("{\"title\":\"abc"u8);
        body.Write(bad);
        body.Write("\","u8);
        var rest = json is { Length: > 1 } && json[0] == '{' ? json[1..] : "\"x\":1}";
        if (rest == "}")
        {
            rest = "\"x\":1}";
        }
        body.Write(Encoding.UTF8.GetBytes(rest));
        return Typed(body.ToArray(), "application/json");
    }

    private static ByteArrayContent Json(string? json) =>
        Typed(Encoding.UTF8.GetBytes(json ?? "{}"), "application/json");

    private static ByteArrayContent Typed(byte[] bytes, string? type)
    {
        var content = new ByteArrayContent(bytes);
        if (type is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        return content;
    }

    private static string MutateJson(Random random, string? json, string value)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject root || root.Count == 0)
        {
            return new JsonObject { ["title"] = value }.ToJsonString();
        }
        var names = root.Select(p => p.Key).ToList();
        root[names[random.Next(names.Count)]] = value;
        if (random.Next(2) == 0)
        {
            root[names[random.Next(names.Count)]] = value;
        }
        return root.ToJsonString();
    }

    private static List<KeyValuePair<string, string>> Replace(
        Random random,
        List<KeyValuePair<string, string>> fields,
        string value,
        bool all = false
    )
    {
        var editable = fields.Where(f => f.Key != "__RequestVerificationToken").ToList();
        if (editable.Count == 0)
        {
            return [.. fields, new("Input.Title", value)];
        }
        var chosen = editable[random.Next(editable.Count)].Key;
        return fields
            .Select(f =>
                f.Key != "__RequestVerificationToken" && (all || f.Key == chosen)
                    ? new KeyValuePair<string, string>(f.Key, value)
                    : f
            )
            .ToList();
    }

    private static string ReplaceRouteValue(
        Random random,
        SiteTarget target,
        TrustSite site,
        string bad
    )
    {
        var names = RouteParameter()
            .Matches(target.Template)
            .Select(m => m.Groups[1].Value)
            .ToList();
        var name = names[random.Next(names.Count)];
        var template = target.Template;
        foreach (var match in RouteParameter().Matches(target.Template).Cast<Match>())
        {
            var value =
                match.Groups[1].Value == name
                    ? bad
                    : Uri.EscapeDataString(site.RouteValue(target.Template, match.Groups[1].Value));
            template = template.Replace(match.Value, value, StringComparison.Ordinal);
        }
        return target.Handler is null ? template : $"{template}?handler={target.Handler}";
    }

    private static string AddQuery(string url, string query) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    private static string Insert(Random random, string text, string insert)
    {
        var at = random.Next(text.Length + 1);
        return text[..at] + insert + text[at..];
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) =>
        items[random.Next(items.Count)];

    private static string Words(Random random, int length)
    {
        var text = new StringBuilder(length + 8);
        while (text.Length < length)
        {
            text.Append("lorem ipsum dolor sit amet "[random.Next(27)]);
        }
        return text.ToString();
    }

    private static bool SentToSignIn(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString.Contains(
            "/account/sign-in",
            StringComparison.Ordinal
        ) == true;

    private static string Show(HttpRequestMessage request)
    {
        var url = request.RequestUri?.OriginalString ?? "";
        return url.Length > 200 ? url[..200] + "…" : url;
    }

    [GeneratedRegex(@"\{\*?([A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    // What a leaked exception looks like: a frame ("at X.Y(...) in file:line"), or an exception type name.
    [GeneratedRegex(
        @"(\bat [\w.`<>]+\([^)]*\)( in |$))|(:line \d+)|(\b\w*Exception\b)|(\b(System|Microsoft|Npgsql|Peisc)\.[A-Z]\w+\.[A-Z]\w+)",
        RegexOptions.Multiline
    )]
    private static partial Regex StackTrace();

    /// <summary>One of the parallel senders: an owner signed in on its own cookie jar, a token for the API, and no one.</summary>
    private sealed class Worker
    {
        private readonly TrustSite _site;

        private Worker(TrustSite site) => _site = site;

        public HttpClient Owner { get; private set; } = null!;
        public HttpClient Api { get; private set; } = null!;
        public HttpClient Anonymous { get; private set; } = null!;
        public string Token { get; private set; } = "";
        public bool AddTokenHeader { get; set; }

        public static async Task<Worker> CreateAsync(TrustSite site)
        {
            var worker = new Worker(site)
            {
                Api = site.App.ApiClient(site.OwnerToken),
                Anonymous = site.App.ApiClient(null),
            };
            await worker.SignInAgainAsync();
            return worker;
        }

        public async Task SignInAgainAsync()
        {
            (Owner, Token) = await _site.OwnerBrowserAsync();
        }
    }
}
