using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// trust.md X1 and X2 over the whole application: every page the app has (found from its endpoint
/// list, so a new page is scanned without editing this test), as each role, as someone signed out,
/// as a person answering a lived-experience link and as a guest in a live session, and forms posted
/// with errors. Each page: no axe violations at 1280px, and at 320px no sideways scrolling and
/// nothing cut off (a wide table may scroll inside its own focusable region). A document identical
/// to one that already passed (another role seeing the same page) is not scanned twice. The negative
/// controls in NegativeControlTests and WholeAppNegativeControlTests prove each check can fail.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class WholeAppAccessibilityTests(
    BrowserFixture browser,
    WholeApp app,
    ITestOutputHelper output
) : IClassFixture<WholeApp>, IAsyncLifetime
{
    private static readonly ViewportSize Wide = new() { Width = 1280, Height = 900 };

    // Pages that answer something other than 200 by design, with the data seeded: set-up closes once
    // an organisation exists, the error page is shown for "page not found", and the access-denied page says so.
    private static readonly Dictionary<string, int> StatusByDesign = new(StringComparer.Ordinal)
    {
        ["/setup"] = 404,
        ["/error/{code:int?}"] = 404,
        ["/account/access-denied"] = 403,
    };

    private readonly List<IBrowserContext> _contexts = [];

    public static TheoryData<string> People =>
        ["Owner", "Facilitator", "Contributor", "Viewer", "Signed out"];

    [Theory]
    [MemberData(nameof(People))]
    public async Task EveryPage_EachPerson_NoAxeViolationsAndReflowsAt320Pixels(string who)
    {
        var clock = Stopwatch.StartNew();
        var page = await NewPageAsync();
        MemberRole? role = Enum.TryParse<MemberRole>(who, out var r) ? r : null;
        if (role is { } signedIn)
        {
            await page.SignInAsync(app.Organisation[signedIn].Email, TestApp.Password);
            await page.ExpectPathAsync("/organisation");
        }
        var routes = app.PageRoutes();
        Assert.True(
            routes.Count > 40,
            $"Only {routes.Count} page routes found: the walk is not seeing the application."
        );
        var walk = new Walk(page, role, app.Passed);
        foreach (var route in routes)
        {
            if (app.Fill(route) is not { } path)
            {
                walk.Failures.Add(
                    $"no way to reach {route}: add a sample id for its parameters to WholeApp.Samples"
                );
                continue;
            }
            await walk.VisitAsync(route, path);
        }
        // States of pages that their route alone does not reach.
        var review = $"/reviews/{app.ReviewId}";
        foreach (
            var path in new[]
            {
                review + "?view=section",
                review + "?view=domain",
                review + "?view=stage",
                review + "/cells/social-justice/outcomes",
                review + "/reflection/" + WholeApp.OpenCellPath,
                review + "/compare?from=1&to=2",
                "/framework/overarching/innovation",
                "/framework/overarching/process",
            }
        )
        {
            await walk.VisitAsync(path, path);
        }

        output.WriteLine(
            $"{who}: {walk.Scanned} pages scanned with axe and at 320px ({walk.Skipped} the same as a page already passed), of {routes.Count} routes; statuses {walk.Statuses}; {clock.Elapsed.TotalSeconds:0}s ({walk.Timings})"
        );
        walk.AssertClean(who);
    }

    [Fact]
    public async Task LivedExperienceInvitee_EveryStateOfTheirPage_NoAxeViolationsAndReflows()
    {
        var page = await NewPageAsync();
        var walk = new Walk(page, role: null, app.Passed);
        var link = $"/voices/{app.VoiceToken}";

        await walk.VisitAsync("/voices/{token}", link);
        // Sent with nothing written: the error state.
        await page.ClickButtonAsync("Send my answers");
        await page.ErrorSummaryAsync();
        await walk.CheckAsync("the contribution form with errors");
        // Sent with an answer: the thank-you page with the way to withdraw.
        await page.CheckBoxAsync("I have read this and I agree to take part");
        await page.GetByRole(AriaRole.Textbox).First.FillAsync("The meetings were at school time.");
        await page.ClickButtonAsync("Send my answers");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Withdraw my answers" }))
            .ToBeVisibleAsync();
        await walk.CheckAsync("after sending");
        await page.ClickButtonAsync("Withdraw my answers");
        await walk.CheckAsync("after withdrawing");
        await walk.VisitAsync("/voices/{token}", "/voices/not-a-link-anyone-was-given", 404);

        output.WriteLine($"Invitee: {walk.Scanned} page states");
        walk.AssertClean("lived-experience invitee");
    }

    [Fact]
    public async Task LiveSessionGuest_JoinAndTakePart_NoAxeViolationsAndReflows()
    {
        var page = await NewPageAsync();
        var walk = new Walk(page, role: null, app.Passed);

        await walk.VisitAsync("/join", "/join");
        await page.ClickButtonAsync("Continue");
        await page.ErrorSummaryAsync();
        await walk.CheckAsync("join with no code");
        await page.FillFieldAsync("Join code", app.JoinCode);
        await page.ClickButtonAsync("Continue");
        await walk.CheckAsync("join: asked for a name");
        await page.ClickButtonAsync("Join the session");
        await page.ErrorSummaryAsync();
        await walk.CheckAsync("join with no name");
        await page.FillFieldAsync("Your name, as the facilitator will see it", "Sam");
        await page.ClickButtonAsync("Join the session");
        await Expect(page.Locator(".govuk-caption-m")).ToHaveTextAsync("Taking part as Sam");
        await walk.CheckAsync("take part");
        await page.ClickButtonAsync("Send my answer");
        await page.ErrorSummaryAsync();
        await walk.CheckAsync("take part: answer sent with no position");
        await page.CheckRadioAsync("Concern");
        await page.ClickButtonAsync("Send my answer");
        await Expect(page.GetByText("Your answer is in")).ToBeVisibleAsync();
        await walk.CheckAsync("take part: answer in");
        // What else a guest's cookie opens: nothing of the organisation's.
        foreach (
            var route in app.PageRoutes()
                .Where(r => r.StartsWith("/workshops/", StringComparison.Ordinal))
        )
        {
            await walk.VisitAsync(route, app.Fill(route)!);
        }

        output.WriteLine($"Guest: {walk.Scanned} page states");
        walk.AssertClean("live-session guest");
    }

    /// <summary>
    /// Forms sent with nothing filled in: each shows its errors, and the page with them passes.
    /// Only forms that refuse an empty post: the seeded data is shared by the other checks.
    /// </summary>
    [Theory]
    [InlineData(MemberRole.Owner)]
    [InlineData(MemberRole.Contributor)]
    public async Task FormsPostedWithErrors_NoAxeViolationsAndReflows(MemberRole role)
    {
        var page = await NewPageAsync();
        await page.SignInAsync(app.Organisation[role].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        var walk = new Walk(page, role, app.Passed);
        var review = $"/reviews/{app.ReviewId}";
        var forms = new List<(string Path, string Button)>
        {
            (review + "/actions/new", "Raise action"),
            (review + "/items/" + WholeApp.ItemId + "/discussion", "Add comment"),
            ("/account/tokens", "Create token"),
        };
        if (role == MemberRole.Owner)
        {
            forms.AddRange([
                ("/reviews/new", "Start review"),
                ("/reviews/import", "Import review"),
                (review + "/manage", "Save details"),
                (review + "/voices/new", "Create the invitation"),
                (review + "/rounds", "Start round 3"),
                (app.Fill("/reviews/{id:guid}/actions/{actionId:guid}")!, "Save action"),
                ("/organisation/plain-language/" + WholeApp.ItemId, "Save"),
            ]);
        }
        foreach (var (path, button) in forms)
        {
            await page.GotoAsync(path);
            var submit = page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true });
            var form = page.Locator("form").Filter(new() { Has = submit });
            // Empty every field a person could type in, so the server has something to refuse.
            foreach (
                var field in await form.Locator("input[type=text], input:not([type]), textarea")
                    .AllAsync()
            )
            {
                await field.FillAsync("");
            }
            await submit.ClickAsync();
            try
            {
                await Expect(page.Locator(".govuk-error-summary"))
                    .ToBeVisibleAsync(new() { Timeout = 5_000 });
            }
            catch (PlaywrightException)
            {
                walk.Failures.Add(
                    $"{path}: \"{button}\" with nothing filled in showed no error summary (at {page.Url})"
                );
                continue;
            }
            await walk.CheckAsync($"{path} posted with errors");
        }
        output.WriteLine($"{role}: {walk.Scanned} forms in their error state");
        walk.AssertClean($"{role}'s forms");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = app.BaseAddress.ToString(),
                Locale = "en-GB",
                TimezoneId = "Europe/London",
                ViewportSize = Wide,
            }
        );
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Visits pages, checking each at both widths, and collects every failure for one report.</summary>
    private sealed class Walk(
        IPage page,
        MemberRole? role,
        ConcurrentDictionary<string, bool> passed
    )
    {
        private readonly Stopwatch _axe = new();
        private readonly Stopwatch _narrow = new();
        private readonly Stopwatch _load = new();

        private readonly HashSet<string> _seen = [];
        private readonly SortedDictionary<int, int> _statuses = [];

        public List<string> Failures { get; } = [];
        public int Scanned { get; private set; }
        public string Statuses => string.Join(", ", _statuses.Select(s => $"{s.Value}×{s.Key}"));
        public int Skipped { get; private set; }
        public string Timings =>
            $"loading {_load.Elapsed.TotalSeconds:0}s, axe {_axe.Elapsed.TotalSeconds:0}s, 320px checks {_narrow.Elapsed.TotalSeconds:0}s";

        public async Task VisitAsync(string route, string path, int? expected = null)
        {
            _load.Start();
            var response = await page.GotoAsync(path);
            _load.Stop();
            var status = response?.Status ?? 0;
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            var allowed =
                expected is { } e ? status == e
                // Someone signed out is sent to sign in: that page is what they see, and is scanned.
                : role is null && new Uri(page.Url).AbsolutePath == "/account/sign-in"
                    ? status == 200
                : StatusByDesign.TryGetValue(route, out var designed) ? status == designed
                : status == 200 ? true
                // Someone without the right role sees the access-denied page: scanned like any other.
                : status == 403 ? role is not null and not MemberRole.Owner
                : false;
            if (!allowed)
            {
                Failures.Add(
                    $"GET {path} (route {route}) answered {status} at {page.Url}: the page was not reached"
                );
            }
            // Pages seen already (sign-in, after a redirect; the access-denied page) are not scanned again.
            var key =
                status == 403 ? "403" : new Uri(page.Url).AbsolutePath + new Uri(page.Url).Query;
            if (key.StartsWith("/account/sign-in", StringComparison.Ordinal))
            {
                key = "/account/sign-in";
            }
            if (_seen.Add(key))
            {
                await CheckAsync(path);
            }
        }

        /// <summary>axe on the page as it is now, then the same page at 320px.</summary>
        public async Task CheckAsync(string what)
        {
            // The same document (save for its anti-forgery tokens) as one that passed already, for
            // another role, say: axe and the layout would find the same, so it is not checked twice.
            var document = await page.EvaluateAsync<string>(
                """
                () => {
                  const text = document.documentElement.outerHTML
                    .replace(/value="CfDJ8[^"]*"/g, '').replace(/data-watch-token="[^"]*"/g, '');
                  let hash = 2166136261;
                  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
                  return `${text.length}:${hash >>> 0}`;
                }
                """
            );
            if (passed.ContainsKey(document))
            {
                Skipped++;
                return;
            }
            Scanned++;
            var failures = Failures.Count;
            _axe.Start();
            try
            {
                var violations = await page.ViolationsOnlyAsync();
                if (violations.Length > 0)
                {
                    Failures.Add($"{what}: {Axe.Describe(page.Url, violations)}");
                }
                await page.AssertStyledAsync();
            }
            catch (Xunit.Sdk.XunitException e)
            {
                Failures.Add($"{what}: {e.Message}");
            }
            _axe.Stop();
            _narrow.Start();
            await page.SetViewportSizeAsync(NarrowScreen.Size.Width, NarrowScreen.Size.Height);
            try
            {
                Failures.AddRange(
                    (await page.ProblemsAsync()).Select(p => $"{what} at 320px: {p}")
                );
            }
            finally
            {
                await page.SetViewportSizeAsync(Wide.Width, Wide.Height);
                _narrow.Stop();
            }
            if (Failures.Count == failures)
            {
                passed[document] = true;
            }
        }

        public void AssertClean(string who) =>
            Assert.True(
                Failures.Count == 0,
                $"{who}: {Failures.Count} problems in {Scanned} pages:\n\n"
                    + string.Join("\n\n", Failures)
            );
    }
}
