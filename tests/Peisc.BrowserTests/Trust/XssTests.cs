using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// trust.md I2: every payload of xss-payloads.txt goes through every text field of the app's
/// forms, posted as the people who can post them, and every page that shows those fields is
/// rendered in Chromium, which watches for dialogs, marker requests, CSP violations and script
/// errors. Nothing may run, and each payload must read back as the text that was typed.
/// </summary>
public sealed class XssTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture)
{
    private static readonly string[] Cells = ReviewData
        .Peisc.AllCells.Select(c => c.Id.Replace('.', '/'))
        .ToArray();

    [Fact]
    public void PayloadList_HasFiveHundredDistinctPayloads_EachWithAMarker()
    {
        var payloads = XssPayloads.All;
        Assert.True(payloads.Count >= 500, $"{payloads.Count} payloads");
        Assert.Equal(payloads.Count, payloads.Distinct(StringComparer.Ordinal).Count());
        // Each payload names itself (alert(N), /xss-marker/N), or loads the bare "x" the watch listens for.
        var silent = payloads
            .Select(
                (p, i) =>
                    (p, n: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            )
            .Where(t =>
                !t.p.Contains(t.n, StringComparison.Ordinal)
                && !t.p.Contains("=x", StringComparison.Ordinal)
                && !t.p.Contains("alert(1)", StringComparison.Ordinal)
                && !t.p.Contains("YWxlcnQoMSk", StringComparison.Ordinal)
                && !t.p.Contains("97,108", StringComparison.Ordinal)
            )
            .Select(t => t.p)
            .ToList();
        Assert.True(silent.Count == 0, "Payloads without a marker: " + string.Join(" | ", silent));
        Assert.All(
            payloads,
            p => Assert.True(p.Length <= 60, $"Longer than the shortest name field: {p}")
        );
    }

    [Fact]
    public async Task Watch_PayloadRenderedUnescaped_IsCaught()
    {
        // The negative control: the same watch, on a page that does inject a payload, sees it,
        // both where CSP blocks it (a violation) and where nothing does (a dialog and a request).
        var page = await NewBlankPageAsync();
        var watch = await XssWatch.AttachAsync(page);
        await page.RouteAsync(
            "http://xss.test/**",
            route =>
                route.FulfillAsync(
                    new()
                    {
                        ContentType = "text/html",
                        Headers = route.Request.Url.Contains("csp", StringComparison.Ordinal)
                            ? new Dictionary<string, string>
                            {
                                ["Content-Security-Policy"] = Peisc
                                    .Web
                                    .Web
                                    .SecurityHeaders
                                    .ContentSecurityPolicy,
                            }
                            : new Dictionary<string, string>(),
                        Body =
                            "<!doctype html><title>x</title><p>"
                            + XssPayloads.All[0]
                            + "<img src=x onerror=alert(2)></p>",
                    }
                )
        );
        await watch.RenderAsync("http://xss.test/csp");
        Assert.NotEmpty(watch.CspViolations);
        Assert.Empty(watch.Dialogs);
        await watch.RenderAsync("http://xss.test/open");
        Assert.Equal(2, watch.Dialogs.Count);
        Assert.NotEmpty(watch.Markers);
    }

    [Fact]
    public async Task EveryTextField_FiveHundredPayloads_NothingRunsAndAllReadsBackAsText()
    {
        var clock = Stopwatch.StartNew();
        var page = await StartAppAsync();
        var org = await App.CreateOrganisationAsync(name: "Northshire children's services");
        var owner = await SignInClientAndPageAsync(page, org.Owner);
        var watch = await XssWatch.AttachAsync(page);
        var run = new XssRunner(
            watch,
            line => output.WriteLine($"{clock.Elapsed.TotalSeconds, 5:F0} s  {line}")
        );
        var reviewA = (await App.CreateReviewAsync(org, "Review A")).Id;
        var reviewB = (await App.CreateReviewAsync(org, "Review B")).Id;
        var payloads = XssPayloads.All;

        // Reviews: title, innovation, partners, as they are started.
        var started = await run.RunAsync(
            new XssForm
            {
                Name = "Start a review (/reviews/new)",
                Client = _ => Task.FromResult(owner),
                Url = _ => "/reviews/new",
                Limits = new Dictionary<string, int>
                {
                    ["Input.Innovation"] = 4000,
                    ["Input.Partners"] = 1000,
                },
                ShownAfterAll = async () =>
                {
                    var ids = await ReviewIdsAsync(org);
                    var pages = Enumerable
                        .Range(1, ids.Count / 25 + 1)
                        .Select(p => $"/reviews?page={p}")
                        .ToList();
                    // Titles are in the lists; innovation and partners fill the first 30 reviews or so.
                    pages.AddRange(ids.Skip(2).Take(30).Select(id => $"/reviews/{id}/one-page"));
                    pages.AddRange(ids.Skip(2).Take(3).SelectMany(ReviewPages));
                    return pages;
                },
            }
        );

        // The same fields when edited, spread over the reviews just made (each edited once).
        var reviews = await ReviewIdsAsync(org);
        await run.RunAsync(
            new XssForm
            {
                Name = "Review details (/reviews/{id}/manage)",
                Client = _ => Task.FromResult(owner),
                Url = s => $"/reviews/{reviews[s % reviews.Count]}/manage",
                FormSelector = "form[action*='handler=Details']",
                Limits = new Dictionary<string, int>
                {
                    ["Input.Innovation"] = 4000,
                    ["Input.Partners"] = 1000,
                },
                MaxSubmissions = reviews.Count,
                ShownAfterAll = async () =>
                {
                    var pages = Enumerable
                        .Range(1, reviews.Count / 25 + 1)
                        .Select(p => $"/reviews?page={p}")
                        .ToList();
                    pages.AddRange(reviews.Take(30).Select(id => $"/reviews/{id}/manage"));
                    return pages;
                },
            }
        );

        // Answers: position's reasons, reasoning, evidence and dissent, one cell at a time over two reviews.
        var cellPages = Cells
            .Select(c => $"/reviews/{reviewA}/cells/{c}")
            .Concat(Cells.Select(c => $"/reviews/{reviewB}/cells/{c}"))
            .ToList();
        var answered = 0;
        await run.RunAsync(
            new XssForm
            {
                Name = "Answers (/reviews/{id}/cells/{section}/{domain})",
                Client = _ => Task.FromResult(owner),
                Url = s => cellPages[answered = s],
                Choose = new Dictionary<string, string> { ["Items[].Position"] = "NotApplicable" },
                Limits = new Dictionary<string, int>
                {
                    ["Items[].Reasoning"] = 1500,
                    ["Items[].Evidence"] = 1500,
                    ["Items[].Dissent"] = 1500,
                },
                MaxSubmissions = cellPages.Count,
                ShownAfterAll = () =>
                    Task.FromResult<IEnumerable<string>>(
                        cellPages
                            .Take(answered + 1)
                            .Concat(ReviewPages(reviewA))
                            .Concat(ReviewPages(reviewB))
                    ),
            }
        );

        // Actions, owned by a named person so that field is saved too.
        await run.RunAsync(
            new XssForm
            {
                Name = "Raise an action (/reviews/{id}/actions/new)",
                Client = _ => Task.FromResult(owner),
                Url = _ => $"/reviews/{reviewA}/actions/new",
                Fixed = new Dictionary<string, string> { ["Input.OwnerKind"] = "named" },
                Limits = new Dictionary<string, int>
                {
                    ["Input.Title"] = 500,
                    ["Input.OwnerName"] = 200,
                },
                ShownAfterAll = async () =>
                {
                    var actions = await App.QueryAsync(
                        db =>
                            db.Set<ReviewAction>()
                                .Where(a => a.ReviewId == reviewA)
                                .Select(a => a.Id)
                                .Take(5)
                                .ToListAsync(),
                        org.Id
                    );
                    return new[]
                    {
                        $"/reviews/{reviewA}/actions",
                        $"/reviews/{reviewA}/report",
                        $"/reviews/{reviewA}/summary",
                    }.Concat(actions.Select(a => $"/reviews/{reviewA}/actions/{a}"));
                },
            }
        );

        // Comments in an item's discussion.
        await run.RunAsync(
            new XssForm
            {
                Name = "Discussion (/reviews/{id}/items/{item}/discussion)",
                Client = _ => Task.FromResult(owner),
                Url = _ => $"/reviews/{reviewA}/items/social-justice.outcomes.1/discussion",
                FormSelector = "main form:not([action*='handler='])",
                Limits = new Dictionary<string, int> { ["Input.Body"] = 4000 },
                ShownAfterAll = () =>
                    Task.FromResult<IEnumerable<string>>([
                        $"/reviews/{reviewA}/items/social-justice.outcomes.1/discussion",
                    ]),
            }
        );

        // Private reflection: one's own views on a cell, before they are revealed.
        foreach (var review in new[] { reviewA, reviewB })
        {
            var reflection = await owner.GetPageAsync($"/reviews/{review}/reflection");
            var opened = await owner.SubmitAsync(
                reflection,
                formSelector: "form[action*='handler=Open']"
            );
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        }
        var reflected = 0;
        await run.RunAsync(
            new XssForm
            {
                Name = "Reflection (/reviews/{id}/reflection/{section}/{domain})",
                Client = _ => Task.FromResult(owner),
                Url = s => $"/reviews/{reviewA}/reflection/{Cells[reflected = s]}",
                FormSelector = "form[action*='handler=Views']",
                Choose = new Dictionary<string, string> { ["Views[].Position"] = "Addressed" },
                Limits = new Dictionary<string, int>
                {
                    ["Views[].Reasoning"] = 1500,
                    ["Views[].MinorityView"] = 1500,
                },
                MaxSubmissions = Cells.Length,
                ShownAfterAll = () =>
                    Task.FromResult(
                        Cells.Take(reflected + 1).Select(c => $"/reviews/{reviewA}/reflection/{c}")
                    ),
            }
        );

        // The team's agreed position on a revealed cell: reasoning and dissent.
        var agreed = 0;
        var revealable = Cells
            .Select(c => $"/reviews/{reviewB}/reflection/{c}")
            .Concat(Cells.Select(c => $"/reviews/{reviewA}/reflection/{c}"))
            .ToList();
        await run.RunAsync(
            new XssForm
            {
                Name =
                    "Team's agreed position (/reviews/{id}/reflection/{section}/{domain}, after reveal)",
                Client = _ => Task.FromResult(owner),
                Prepare = async s =>
                {
                    var cell = await owner.GetPageAsync(revealable[s]);
                    if (cell.Find("form[action*='handler=Reveal']") is not null)
                    {
                        var revealed = await owner.SubmitAsync(
                            cell,
                            formSelector: "form[action*='handler=Reveal']"
                        );
                        Assert.Equal(HttpStatusCode.Redirect, revealed.StatusCode);
                    }
                },
                Url = s => revealable[agreed = s],
                FormSelector = "form[action*='handler=Agree']",
                Limits = new Dictionary<string, int>
                {
                    ["Agreed.Reasoning"] = 1900,
                    ["Agreed.Dissent"] = 1900,
                },
                MaxSubmissions = revealable.Count - 1,
                ShownAfterAll = () =>
                    Task.FromResult(
                        revealable
                            .Take(agreed + 1)
                            .Concat(ReviewPages(reviewB))
                            .Concat(ReviewPages(reviewA))
                    ),
            }
        );

        // Lived experience: the invitation a facilitator writes (its link is shown once, on the page that answers)...
        var links = new List<string>();
        await run.RunAsync(
            new XssForm
            {
                Name = "Invite lived experience (/reviews/{id}/voices/new)",
                Client = _ => Task.FromResult(owner),
                Url = _ => $"/reviews/{reviewB}/voices/new",
                Fixed = new Dictionary<string, string>
                {
                    ["Input.ItemIds"] = "human-rights.process.1",
                },
                Limits = new Dictionary<string, int> { ["Input.ConsentStatement"] = 3900 },
                Accepted = created =>
                {
                    links.Add(
                        new Uri(created.Find("#invitation-link")!.TextContent.Trim()).AbsolutePath
                    );
                    return Task.CompletedTask;
                },
                // The consent statement and safeguarding contact fill up first; the public name takes every submission.
                ShownAfterAll = () =>
                    Task.FromResult(links.Take(30).Prepend($"/reviews/{reviewB}/voices")),
            }
        );

        // ...and what people with lived experience send through their link, without signing in.
        var tokens = new List<string>();
        for (var i = 0; i < 14; i++)
        {
            tokens.Add((await App.InviteVoicesAsync(org, reviewA)).Token);
        }
        await run.RunAsync(
            new XssForm
            {
                Name = "Lived-experience answers (/voices/{token})",
                // Posting is limited per address (30 a minute): each batch of 25 comes from another loopback address.
                Client = s => Task.FromResult(NewClient(s / 25)),
                Url = s => $"/voices/{tokens[s / 45]}",
                FormSelector = "form[action*='handler=Submit']",
                Fixed = new Dictionary<string, string> { ["Input.Agree"] = "true" },
                Limits = new Dictionary<string, int> { ["Input.Answers[]"] = 2900 },
                MaxSubmissions = tokens.Count * 45,
                ShownAfterAll = () =>
                    Task.FromResult<IEnumerable<string>>([
                        $"/reviews/{reviewA}/voices",
                        $"/reviews/{reviewA}/cells/human-rights/process",
                        $"/reviews/{reviewA}/report",
                    ]),
            }
        );

        // Plain-language versions of the framework's items, one item each.
        var items = ReviewData.Peisc.AllCells.SelectMany(c => c.Items).Select(i => i.Id).ToList();
        var worded = 0;
        await run.RunAsync(
            new XssForm
            {
                Name = "Plain-language text (/organisation/plain-language/{item})",
                Client = _ => Task.FromResult(owner),
                Url = s => $"/organisation/plain-language/{items[worded = s]}",
                MaxSubmissions = items.Count,
                ShownAfterAll = () =>
                    Task.FromResult(
                        items
                            .Take(worded + 1)
                            .Select(i => $"/organisation/plain-language/{i}")
                            .Prepend("/organisation/plain-language")
                    ),
            }
        );

        // Access tokens' names.
        await run.RunAsync(
            new XssForm
            {
                Name = "Access token name (/account/tokens)",
                Client = _ => Task.FromResult(owner),
                Url = _ => "/account/tokens",
                FormSelector = "#create-token",
                ShownAfterAll = () => Task.FromResult<IEnumerable<string>>(["/account/tokens"]),
            }
        );

        // Members' names, as each invited person gives it when creating their account.
        var invitations = new List<string>();
        await run.RunAsync(
            new XssForm
            {
                Name = "Invited member's name (/invitations/{token})",
                Client = _ => Task.FromResult(NewClient()),
                Url = s =>
                {
                    var path = App.InviteAsync(
                            org,
                            $"person{invitations.Count}@example.org",
                            MemberRole.Viewer
                        )
                        .GetAwaiter()
                        .GetResult();
                    invitations.Add(path);
                    return path;
                },
                FormSelector = "form[action*='handler=Register']",
                Fixed = new Dictionary<string, string> { ["Input.Password"] = TestApp.Password },
                ShownAfterAll = () =>
                    Task.FromResult<IEnumerable<string>>([
                        "/organisation/members",
                        "/organisation/audit",
                    ]),
            }
        );

        // The organisation's name, edited in place: checked after each save.
        await run.RunAsync(
            new XssForm
            {
                Name = "Organisation name (/organisation/settings)",
                Client = _ => Task.FromResult(owner),
                Url = _ => "/organisation/settings",
                ShownAfterEach = _ => ["/organisation/settings"],
            }
        );

        // A live session: guests' names as they join, and their notes on the item on screen.
        var sessionPage = await owner.GetPageAsync($"/reviews/{reviewA}/workshops");
        var startedSession = await owner.SubmitAsync(
            sessionPage,
            new Dictionary<string, string>
            {
                ["Scope"] = sessionPage.Find("input[name=Scope]")!.GetAttribute("value")!,
            }
        );
        var console = startedSession.LocationPath()!;
        var joinCode = (await owner.GetPageAsync(console))
            .Find(".app-join-code")!
            .TextContent.Trim();
        var guests = new List<HttpClient>();
        await run.RunAsync(
            new XssForm
            {
                Name = "Join a live session (/join)",
                Client = _ =>
                {
                    guests.Add(NewClient());
                    return Task.FromResult(guests[^1]);
                },
                Url = _ => "/join",
                // The name is asked for once the code is accepted.
                Open = async (guest, url) =>
                {
                    var join = await guest.GetPageAsync(url);
                    return await Html.ToPageAsync(
                        await guest.SubmitAsync(
                            join,
                            new Dictionary<string, string> { ["Code"] = joinCode }
                        ),
                        join.Url
                    );
                },
                // Names show beside notes on the facilitator's screen: every guest sends one.
                ShownAfterAll = async () =>
                {
                    foreach (var guest in guests)
                    {
                        var takePart = await guest.GetPageAsync(console + "/take-part");
                        await guest.SubmitAsync(
                            takePart,
                            new Dictionary<string, string>
                            {
                                ["Position"] = takePart
                                    .Find("input[name=Position]")!
                                    .GetAttribute("value")!,
                                ["Note"] = "Noted.",
                            }
                        );
                    }
                    return [console];
                },
            }
        );
        await run.RunAsync(
            new XssForm
            {
                Name = "Live session note (/workshops/{id}/take-part)",
                Client = s => Task.FromResult(guests[s]),
                Url = _ => console + "/take-part",
                Limits = new Dictionary<string, int> { ["Note"] = 280 },
                MaxSubmissions = guests.Count - 1,
                ShownAfterAll = () =>
                    Task.FromResult<IEnumerable<string>>([console, console + "/projector"]),
            }
        );

        // The API: the same fields sent as JSON by a program with an access token.
        var api = NewClient();
        api.DefaultRequestHeaders.Authorization = new(
            "Bearer",
            await TokenPage.CreateAsync(owner, "XSS check")
        );
        var apiReviews = new List<Guid>();
        await run.RunApiAsync(
            "API: POST /api/v1/reviews",
            new Dictionary<string, int>
            {
                ["title"] = 200,
                ["innovation"] = 4000,
                ["partners"] = 1000,
            },
            async (_, values) =>
            {
                var response = await api.PostAsJsonAsync(
                    "/api/v1/reviews",
                    new
                    {
                        title = values["title"],
                        innovation = values["innovation"],
                        partners = values["partners"],
                        serviceArea = "Children",
                        situationId = "situation.2",
                        stageId = "stage.2",
                    }
                );
                if (response.IsSuccessStatusCode)
                {
                    apiReviews.Add(
                        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())
                            .GetProperty("id")
                            .GetGuid()
                    );
                }
                return response;
            },
            async () =>
            {
                var count = await App.QueryAsync(db => db.Reviews.CountAsync(), org.Id);
                return Enumerable
                    .Range(1, count / 25 + 1)
                    .Select(p => $"/reviews?page={p}")
                    .Concat(apiReviews.Take(30).Select(id => $"/reviews/{id}/one-page"));
            }
        );
        await run.RunApiAsync(
            "API: POST /api/v1/reviews/{id}/actions",
            new Dictionary<string, int> { ["title"] = 500, ["ownerName"] = 200 },
            (_, values) =>
                api.PostAsJsonAsync(
                    $"/api/v1/reviews/{reviewB}/actions",
                    new
                    {
                        title = values["title"],
                        ownerName = values["ownerName"],
                        status = "Open",
                    }
                ),
            () => Task.FromResult<IEnumerable<string>>([$"/reviews/{reviewB}/actions"])
        );
        var apiItems = ReviewData
            .Peisc.AllCells.SelectMany(c =>
                c.Items.Select(i => (Cell: c.Id.Replace('.', '/'), Item: i.Id))
            )
            .ToList();
        var apiAnswered = 0;
        await run.RunApiAsync(
            "API: PUT /api/v1/reviews/{id}/answers/{item}",
            new Dictionary<string, int>
            {
                ["notApplicableReason"] = 500,
                ["reasoning"] = 4000,
                ["evidence"] = 4000,
                ["dissent"] = 4000,
            },
            (s, values) =>
            {
                apiAnswered = s;
                return api.PutAsJsonAsync(
                    $"/api/v1/reviews/{apiReviews[0]}/answers/{apiItems[s].Item}",
                    new
                    {
                        position = "NotApplicable",
                        notApplicableReason = values["notApplicableReason"],
                        reasoning = values["reasoning"],
                        evidence = values["evidence"],
                        dissent = values["dissent"],
                        version = 0,
                    }
                );
            },
            () =>
                Task.FromResult(
                    apiItems
                        .Take(apiAnswered + 1)
                        .Select(i => $"/reviews/{apiReviews[0]}/cells/{i.Cell}")
                        .Distinct()
                ),
            apiItems.Count
        );

        // Search: the query is shown back in its box.
        var searched = new List<int>();
        for (var at = 0; at < payloads.Count; )
        {
            var chunk = new List<int>();
            var length = 0;
            while (at < payloads.Count && length + payloads[at].Length + 1 <= 190)
            {
                length += payloads[at].Length + 1;
                chunk.Add(at++);
            }
            var text = await run.RenderAsync(
                "/reviews?q="
                    + Uri.EscapeDataString(string.Join(" ", chunk.Select(i => payloads[i])))
            );
            run.Check(
                chunk.All(i =>
                    text.Contains(XssPayloads.Normalise(payloads[i]), StringComparison.Ordinal)
                ),
                $"Search box: payloads {chunk[0] + 1}–{chunk[^1] + 1} not shown back as typed"
            );
            searched.AddRange(chunk);
        }

        // Report.
        var elapsed = clock.Elapsed;
        output.WriteLine(
            $"{payloads.Count} payloads; {watch.Rendered} page renders in Chromium; {elapsed.TotalSeconds:F0} s"
        );
        foreach (var result in run.Results)
        {
            output.WriteLine($"{result.Name}: {result.Submissions} submissions");
            foreach (var field in result.Fields)
            {
                output.WriteLine(
                    $"  {field}: accepted {result.Accepted.GetValueOrDefault(field)?.Count ?? 0}, refused {result.Refused.GetValueOrDefault(field)?.Count ?? 0}, shown as text {result.Shown.GetValueOrDefault(field)?.Count ?? 0}"
                );
                var through = (result.Accepted.GetValueOrDefault(field) ?? [])
                    .Union(result.Refused.GetValueOrDefault(field) ?? [])
                    .Count();
                run.Check(
                    through == payloads.Count,
                    $"{result.Name}: {field} carried {through} of {payloads.Count} payloads"
                );
                run.Check(
                    (result.Accepted.GetValueOrDefault(field)?.Count ?? 0)
                        >= payloads.Count * 9 / 10,
                    $"{result.Name}: {field} refused more than a tenth of the payloads, so they were not stored and shown"
                );
            }
        }
        output.WriteLine($"Search box: {searched.Count} payloads");
        output.WriteLine(
            $"Pages rendered ({run.PagesRendered.Count} kinds): {string.Join(", ", run.PagesRendered.Order())}"
        );
        watch.Report(output);
        // Reported, not failed here: a NUL in a form is an input-handling fault (trust.md I1), not XSS.
        output.WriteLine($"Server errors: {run.ServerErrors.Count}");
        foreach (var line in run.ServerErrors)
        {
            output.WriteLine("  " + line);
        }
        output.WriteLine($"Failures: {run.Failures.Count}");
        foreach (var line in run.Failures)
        {
            output.WriteLine("  " + line);
        }

        watch.AssertNothingRan();
        Assert.True(
            run.Failures.Count == 0,
            $"{run.Failures.Count} failures:\n" + string.Join("\n", run.Failures.Take(40))
        );
        Assert.True(started.Submissions > 0);
    }

    /// <summary>Every page of a review that shows its text.</summary>
    internal static IEnumerable<string> ReviewPages(Guid id) =>
        [
            $"/reviews/{id}",
            $"/reviews/{id}/manage",
            $"/reviews/{id}/summary",
            $"/reviews/{id}/one-page",
            $"/reviews/{id}/report",
            $"/reviews/{id}/facilitation-pack",
            $"/reviews/{id}/exports",
            $"/reviews/{id}/actions",
            $"/reviews/{id}/rounds",
            $"/reviews/{id}/compare",
            $"/reviews/{id}/voices",
            $"/reviews/{id}/reflection",
        ];

    private Task<List<Guid>> ReviewIdsAsync(TestOrganisation org) =>
        App.QueryAsync(
            db => db.Reviews.OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(),
            org.Id
        );

    private HttpClient NewClient(int address = 0) =>
        new(
            new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(
                        System.Net.Sockets.SocketType.Stream,
                        System.Net.Sockets.ProtocolType.Tcp
                    )
                    {
                        NoDelay = true,
                    };
                    socket.Bind(
                        new IPEndPoint(
                            new IPAddress([
                                127,
                                0,
                                (byte)(address / 250),
                                (byte)(1 + address % 250),
                            ]),
                            0
                        )
                    );
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                },
            }
        )
        {
            BaseAddress = BaseAddress,
        };
}
