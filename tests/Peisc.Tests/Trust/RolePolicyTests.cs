using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md A4: inside one organisation, who may make each state-changing call. Every such call the
/// application maps must be in the table; a new one fails this test until someone decides who may make it.
/// </summary>
public sealed class RolePolicyTests(ITestOutputHelper output)
{
    private const string Owner = "Owner";
    private const string Facilitator = "Facilitator";
    private const string Contributor = "Contributor";
    private const string Viewer = "Viewer";

    // Someone holding a lived-experience link (/voices/{token}), with no account.
    private const string Voice = "Voice";

    // Someone who joined a live session with its code, with no account.
    private const string Guest = "Guest";

    private static readonly string[] Actors =
    [
        Voice,
        Guest,
        Viewer,
        Contributor,
        Facilitator,
        Owner,
    ];
    private static readonly string[] Members = [Viewer, Contributor, Facilitator, Owner];
    private static readonly string[] ContributorsUp = [Contributor, Facilitator, Owner];
    private static readonly string[] FacilitatorsUp = [Facilitator, Owner];
    private static readonly string[] OwnersOnly = [Owner];
    private static readonly string[] Everyone = [Voice, Guest, .. Members];

    // Who may make each call. "Let through" means not refused: not asked to sign in and not denied
    // for the role (the call may still fail its own validation, which is not an access decision).
    private static readonly Dictionary<string, string[]> Policy = new()
    {
        // Signing in and the links that stand in for an account: anyone.
        ["POST /account/sign-in"] = Everyone,
        ["POST /account/sign-in/two-factor"] = Everyone,
        ["POST /account/sign-out"] = Everyone,
        ["POST /setup"] = Everyone,
        ["POST /invitations/{token} ?handler=Join"] = Everyone,
        ["POST /invitations/{token} ?handler=Register"] = Everyone,
        ["POST /join"] = Everyone,
        ["POST /voices/{token} ?handler=Submit"] = Everyone,
        ["POST /voices/{token} ?handler=Withdraw"] = Everyone,
        // A person's own account: every member.
        ["POST /account/data"] = Members,
        ["POST /account/notifications"] = Members,
        ["POST /account/tokens"] = Members,
        ["POST /account/tokens ?handler=Revoke"] = Members,
        ["POST /account/two-factor ?handler=Disable"] = Members,
        ["POST /account/two-factor ?handler=Enable"] = Members,
        ["POST /account/two-factor ?handler=NewRecoveryCodes"] = Members,
        ["POST /account/two-factor ?handler=Start"] = Members,
        ["POST /organisation/switch"] = Members,
        // Taking part in a live session: members and that session's guests (docs/workshops.md).
        ["POST /workshops/{id:guid}/take-part"] = [Guest, .. Members],
        // Answering, actions and discussion: contributors and above (docs/deliberation.md).
        ["POST /reviews/{id:guid}/cells/{sectionId}/{domainId}"] = ContributorsUp,
        ["PUT /api/v1/reviews/{id:guid}/answers/{itemId}"] = ContributorsUp,
        ["POST /reviews/{id:guid}/actions/new"] = ContributorsUp,
        ["POST /reviews/{id:guid}/actions/{actionId:guid}"] = ContributorsUp,
        ["POST /api/v1/reviews/{id:guid}/actions"] = ContributorsUp,
        ["PUT /api/v1/reviews/{id:guid}/actions/{actionId:guid}"] = ContributorsUp,
        ["POST /reviews/{id:guid}/items/{itemId}/discussion"] = ContributorsUp,
        ["POST /reviews/{id:guid}/items/{itemId}/discussion ?handler=Resolve"] = ContributorsUp,
        ["POST /reviews/{id:guid}/reflection/{sectionId}/{domainId} ?handler=Views"] =
            ContributorsUp,
        // Running a review: facilitators and owners.
        ["POST /reviews/new"] = FacilitatorsUp,
        ["POST /api/v1/reviews/"] = FacilitatorsUp,
        ["POST /reviews/import"] = FacilitatorsUp,
        ["POST /api/v1/reviews/import"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/manage ?handler=Details"] = FacilitatorsUp,
        ["PUT /api/v1/reviews/{id:guid}"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/manage ?handler=Archive"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/manage ?handler=Reopen"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/rounds"] = FacilitatorsUp,
        ["POST /api/v1/reviews/{id:guid}/rounds"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/reflection ?handler=Open"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/reflection/{sectionId}/{domainId} ?handler=Reveal"] =
            FacilitatorsUp,
        ["POST /reviews/{id:guid}/reflection/{sectionId}/{domainId} ?handler=Agree"] =
            FacilitatorsUp,
        ["POST /reviews/{id:guid}/voices/new"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/voices ?handler=Revoke"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/voices ?handler=Reissue"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/voices ?handler=DeleteContribution"] = FacilitatorsUp,
        ["POST /organisation/plain-language/{itemId}"] = FacilitatorsUp,
        ["POST /organisation/plain-language/{itemId} ?handler=Reset"] = FacilitatorsUp,
        ["POST /reviews/{id:guid}/workshops"] = FacilitatorsUp,
        ["POST /workshops/{id:guid} ?handler=Go"] = FacilitatorsUp,
        ["POST /workshops/{id:guid} ?handler=Timer"] = FacilitatorsUp,
        ["POST /workshops/{id:guid} ?handler=StopTimer"] = FacilitatorsUp,
        ["POST /workshops/{id:guid} ?handler=Agree"] = FacilitatorsUp,
        ["POST /workshops/{id:guid} ?handler=End"] = FacilitatorsUp,
        // The organisation itself: owners only.
        ["POST /reviews/{id:guid}/manage ?handler=Delete"] = OwnersOnly,
        ["POST /organisation/settings"] = OwnersOnly,
        ["POST /organisation/members/invite"] = OwnersOnly,
        ["POST /organisation/members ?handler=Revoke"] = OwnersOnly,
        ["POST /organisation/members/{id:guid} ?handler=Role"] = OwnersOnly,
        ["POST /organisation/members/{id:guid} ?handler=Remove"] = OwnersOnly,
        ["POST /organisation/members/{id:guid} ?handler=Suspend"] = OwnersOnly,
        ["POST /organisation/members/{id:guid} ?handler=Restore"] = OwnersOnly,
        ["POST /organisation/audit ?handler=Export"] = OwnersOnly,
        ["POST /organisation/editions"] = OwnersOnly,
        ["POST /organisation/editions/{id:guid} ?handler=Delete"] = OwnersOnly,
    };

    [Theory, BothDatabases]
    public async Task EveryStateChangingCall_ByEveryRole_FollowsThePolicyTable(Db db)
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var calls = TrustEndpoints
            .Discover(app)
            .Where(c => c.ChangesState && !AccessMatrixTests.NotAChange.ContainsKey(c.Key))
            .OrderBy(Destructiveness)
            .ThenBy(SortKey, StringComparer.Ordinal)
            .ToList();

        // The seeded reflection starts unrevealed, so recording views, revealing and agreeing can each be tried in turn.
        await app.QueryAsync(
            d =>
                d.Reflections.ExecuteUpdateAsync(u =>
                    u.SetProperty(r => r.RevealedAt, (DateTime?)null)
                        .SetProperty(r => r.RevealedByName, (string?)null)
                ),
            a.Organisation.Id
        );
        var actors = new Dictionary<string, (HttpClient Browser, HttpClient Api, string? Token)>();
        var voice = app.Browser();
        actors[Voice] = (
            voice,
            app.ApiClient(null),
            (await voice.GetPageAsync($"/voices/{a.VoiceToken}")).AntiforgeryToken
        );
        var guest = app.Browser();
        var takePart = await guest.JoinAsGuestAsync(a.JoinCode, "Robin");
        actors[Guest] = (guest, app.ApiClient(null), takePart.AntiforgeryToken);
        foreach (
            var role in new[]
            {
                MemberRole.Viewer,
                MemberRole.Contributor,
                MemberRole.Facilitator,
                MemberRole.Owner,
            }
        )
        {
            var browser = await app.SignedInAsync(a.Organisation[role]);
            actors[role.ToString()] = (
                browser,
                await app.ApiClientAsync(a.Organisation, role),
                (await browser.GetPageAsync("/account/notifications")).AntiforgeryToken
            );
        }

        var failures = new List<string>();
        var observed = new List<string>();
        var requests = 0;
        foreach (var call in calls)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            var letThrough = new List<string>();
            foreach (var actor in Actors)
            {
                var (browser, api, token) = actors[actor];
                var response = await (call.IsApi ? api : browser).SendAsync(
                    TrustEndpoints.Request(call.Verb, url, TrustEndpoints.Body(call, token))
                );
                requests++;
                Assert.True(
                    (int)response.StatusCode < 500,
                    $"{call.Key} as {actor}: {(int)response.StatusCode}"
                );
                var refused =
                    TrustEndpoints.AskedToSignIn(response) || TrustEndpoints.RoleRefused(response);
                if (!refused)
                {
                    letThrough.Add(actor);
                }
            }
            observed.Add($"[\"{call.Key}\"] = [{string.Join(", ", letThrough)}],");
            if (!Policy.TryGetValue(call.Key, out var allowed))
            {
                failures.Add(
                    $"{call.Key} is not in the policy table: add it to the policy table (let through: {string.Join(", ", letThrough)})"
                );
            }
            else if (!allowed.Order().SequenceEqual(letThrough.Order()))
            {
                failures.Add(
                    $"{call.Key}: the table allows {string.Join(", ", allowed)}, the app let through {string.Join(", ", letThrough)}"
                );
            }
        }
        output.WriteLine(
            $"{db}: {calls.Count} state-changing calls × {Actors.Length} actors = {requests} requests"
        );
        output.WriteLine(string.Join("\n", observed));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // A reflection's steps in their real order: views, then the reveal, then agreeing.
    internal static string SortKey(EndpointCall call) =>
        call.Pattern.Contains("/reflection/", StringComparison.Ordinal)
            ? $"{call.Verb} {call.Pattern} "
                + call.Handler switch
                {
                    "Views" => 0,
                    "Reveal" => 1,
                    _ => 2,
                }
            : call.Key;

    // Calls that remove what later calls act on go last; signing out goes very last.
    internal static int Destructiveness(EndpointCall call) =>
        call.Pattern == "/account/sign-out" ? 5
        : call.Pattern == "/organisation/members/{id:guid}" && call.Handler is "Remove" or "Suspend"
            ? 4
        : call.Handler is "Delete" ? 3
        // A new round freezes the current one, which the reflection's calls act on.
        : call.Pattern.EndsWith("/rounds", StringComparison.Ordinal) ? 1
        : call.Handler
            is "Revoke"
                or "Withdraw"
                or "DeleteContribution"
                or "End"
                or "Archive"
                or "Reissue"
            ? 2
        : 0;
}
