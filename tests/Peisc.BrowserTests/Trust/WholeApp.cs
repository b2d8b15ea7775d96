using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;
using Peisc.Web.Workshops;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// One app, seeded once with a review in every state a page can show (rounds, answers, actions, a
/// discussion, reflection opened and revealed, lived-experience voices, a live session, tokens, an
/// uploaded edition), shared by the whole-app accessibility checks so each page is scanned, not re-seeded.
/// </summary>
public sealed partial class WholeApp : IAsyncLifetime, IAsyncDisposable
{
    public const string SectionId = "human-rights";
    public const string DomainId = "process";
    public const string ItemId = "human-rights.process.1";

    // A second cell, opened for reflection but not revealed, so both states of the reflection page are seen.
    public const string OpenCellPath = "social-justice/outcomes";

    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("Not started.");
    public Uri BaseAddress { get; private set; } = default!;
    public TestOrganisation Organisation { get; private set; } = default!;
    public Guid ReviewId { get; private set; }
    public string VoiceToken { get; private set; } = "";
    public string JoinCode { get; private set; } = "";

    /// <summary>Page states (by their document) that passed every check, so another role seeing the same is not scanned again.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Passed { get; } = new();

    /// <summary>How to fill each route parameter: by the route's literal text before it, longest first.</summary>
    public Dictionary<string, string> Samples { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _app = new TestApp(Db.Sqlite, realServer: true);
        _app.StartServer();
        BaseAddress = new Uri(
            _app.Services.GetRequiredService<IServer>()
                .Features.Get<IServerAddressesFeature>()!
                .Addresses.First()
        );
        // Addresses of a realistic length, as in the narrow-screen tests: long ones must wrap at 320px.
        Organisation = await App.CreateOrganisationAsync("Northshire adult social care");
        var other = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        foreach (var member in Organisation.Members.Values)
        {
            await App.AddMemberAsync(other.Id, MemberRole.Viewer, member.Email);
            await AddAccessTokenAsync(member);
        }
        var editionId = await App.UploadEditionAsync(Organisation);
        var invitation = await App.InviteAsync(
            Organisation,
            "robin.newcomer@northshire.gov.uk",
            MemberRole.Viewer
        );

        var review = await App.CreateReviewAsync(Organisation, "Family group conferencing pilot");
        ReviewId = review.Id;
        // Round 1 with answers, then round 2 (so rounds can be compared) with answers of its own.
        await AnswerCellAsync(review.Id, "Round one");
        await App.StartRoundAsync(Organisation, review.Id, "stage.3");
        await AnswerCellAsync(review.Id, "Round two");
        var action = await App.CreateActionAsync(
            Organisation,
            review.Id,
            "Ask the children's rights officer to review the leaflet",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
            ActionStatus.Open,
            ItemId
        );
        await App.CreateActionAsync(
            Organisation,
            review.Id,
            "Publish the complaints route in plain language",
            null,
            ActionStatus.Done,
            "human-rights.process.2"
        );
        await DeliberateAsync(review.Id);
        var (_, voiceToken) = await App.InviteVoicesAsync(Organisation, review.Id);
        VoiceToken = voiceToken;
        await ContributeAsync(review.Id, voiceToken);
        var session = await App.AsMemberAsync(
            Organisation,
            Organisation[MemberRole.Facilitator],
            async sp =>
            {
                var (review, _) = await ReviewAndRoundAsync(sp, reviewId: ReviewId);
                var cell = ReviewData.Peisc.FindCell(SectionId, DomainId)!;
                return await sp.GetRequiredService<WorkshopService>()
                    .StartAsync(review, "Human rights: process", [.. cell.Items.Select(i => i.Id)]);
            }
        );
        JoinCode = session.JoinCode;
        await App.QueryAsync(
            async db =>
            {
                db.PlainLanguageTexts.Add(
                    new PlainLanguageText
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = Organisation.Id,
                        ItemId = ItemId,
                        Text = "Do people know how to say they are unhappy with it?",
                        UpdatedAt = DateTime.UtcNow,
                        UpdatedByUserId = Organisation.Owner.Id,
                    }
                );
                return await db.SaveChangesAsync();
            },
            Organisation.Id
        );

        Samples["/reviews/{id"] = review.Id.ToString();
        Samples["/reviews/{id}/actions/{actionId"] = action.Id.ToString();
        Samples["/workshops/{id"] = session.Id.ToString();
        Samples["/organisation/editions/{id"] = editionId.ToString();
        Samples["/organisation/members/{id"] = Organisation[MemberRole.Contributor]
            .MembershipId.ToString();
        Samples["/invitations/{token"] = invitation[(invitation.LastIndexOf('/') + 1)..];
        Samples["/voices/{token"] = voiceToken;
        Samples["{sectionId"] = SectionId;
        Samples["{domainId"] = DomainId;
        Samples["{itemId"] = ItemId;
        // The error page, showing the "page not found" error it shows most often.
        Samples["/error/{code"] = "404";
    }

    private async Task AnswerCellAsync(Guid reviewId, string round)
    {
        var positions = new[]
        {
            Position.Concern,
            Position.PartlyAddressed,
            Position.Addressed,
            Position.NotApplicable,
        };
        var items = ReviewData.Peisc.FindCell(SectionId, DomainId)!.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var position = positions[i % positions.Length];
            var item = items[i];
            var input = new AnswerInput(
                position,
                position == Position.NotApplicable
                    ? "The pilot does not collect this information."
                    : null,
                $"{round}: the team discussed this with the family group co-ordinators at some length.",
                "Pilot evaluation, interim report (March), https://northshire.gov.uk/fgc-pilot-evaluation-interim-report",
                Voices.Families | Voices.Practitioners,
                position == Position.Concern
                    ? "One member thinks the consent form is enough."
                    : null
            );
            await App.AsMemberAsync(
                Organisation,
                Organisation[MemberRole.Contributor],
                async sp =>
                {
                    var (review, current) = await ReviewAndRoundAsync(sp, reviewId);
                    var version = await sp.GetRequiredService<AppDbContext>()
                        .Answers.Where(a => a.RoundId == current.Id && a.ItemId == item.Id)
                        .Select(a => a.Version)
                        .SingleOrDefaultAsync();
                    var outcome = await sp.GetRequiredService<ReviewService>()
                        .SaveAnswerAsync(
                            review,
                            current,
                            ReviewData.Peisc.FindCell(SectionId, DomainId)!,
                            item,
                            input,
                            version
                        );
                    return Assert.IsType<SaveOutcome.Saved>(outcome);
                }
            );
        }
    }

    // Reflection: one cell opened, views saved by three people and revealed; another opened only.
    // A discussion with a mention, so the notifications page has something to show.
    private async Task DeliberateAsync(Guid reviewId)
    {
        var edition = ReviewData.Peisc;
        var revealed = edition.FindCell(SectionId, DomainId)!;
        var open = edition.FindCell("social-justice", "outcomes")!;
        await App.AsMemberAsync(
            Organisation,
            Organisation[MemberRole.Facilitator],
            async sp =>
            {
                var (review, round) = await ReviewAndRoundAsync(sp, reviewId);
                return await sp.GetRequiredService<DeliberationService>()
                    .OpenAsync(review, round, [revealed, open]);
            }
        );
        foreach (var role in new[] { MemberRole.Facilitator, MemberRole.Contributor })
        {
            foreach (var cell in new[] { revealed, open })
            {
                await App.AsMemberAsync(
                    Organisation,
                    Organisation[role],
                    async sp =>
                    {
                        var (review, round) = await ReviewAndRoundAsync(sp, reviewId);
                        var reflection = await sp.GetRequiredService<AppDbContext>()
                            .Reflections.SingleAsync(r =>
                                r.RoundId == round.Id && r.CellId == cell.Id
                            );
                        await sp.GetRequiredService<DeliberationService>()
                            .SaveViewAsync(
                                review,
                                reflection,
                                cell.Items[0],
                                new DeliberationService.ViewInput(
                                    role == MemberRole.Contributor
                                        ? Position.Concern
                                        : Position.PartlyAddressed,
                                    "Families told us the meetings felt rushed.",
                                    role == MemberRole.Contributor
                                        ? "I think the consent form is not enough."
                                        : null,
                                    true
                                )
                            );
                        return 0;
                    }
                );
            }
        }
        await App.AsMemberAsync(
            Organisation,
            Organisation[MemberRole.Facilitator],
            async sp =>
            {
                var (review, round) = await ReviewAndRoundAsync(sp, reviewId);
                var db = sp.GetRequiredService<AppDbContext>();
                var reflection = await db.Reflections.SingleAsync(r =>
                    r.RoundId == round.Id && r.CellId == revealed.Id
                );
                var deliberation = sp.GetRequiredService<DeliberationService>();
                await deliberation.RevealAsync(review, reflection);
                var item = revealed.Items[0];
                foreach (var user in Organisation.Members.Values)
                {
                    await deliberation.AddCommentAsync(
                        review,
                        item,
                        $"@{user.Name} could you check the leaflet against the easy-read guidance?",
                        [user.Id]
                    );
                }
                return 0;
            }
        );
    }

    // As the tokens page would store one, so each person's tokens page lists a token.
    private async Task AddAccessTokenAsync(TestUser user)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var created = PersonalAccessTokens.Create();
        db.AccessTokens.Add(
            new AccessToken
            {
                Id = Guid.NewGuid(),
                UserId = user.Id,
                OrganisationId = Organisation.Id,
                Name = "Board report script",
                TokenHash = created.Hash,
                Prefix = created.Prefix,
                CreatedAt = DateTime.UtcNow,
                ExpiresAt = DateTime.UtcNow.AddDays(30),
            }
        );
        await db.SaveChangesAsync();
    }

    private static async Task<(Review Review, Round Round)> ReviewAndRoundAsync(
        IServiceProvider sp,
        Guid reviewId
    )
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
        var round = await db.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
        return (review, round);
    }

    // A contribution from someone with lived experience, so the voices page and the cell show it.
    private async Task ContributeAsync(Guid reviewId, string token)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var voices = scope.ServiceProvider.GetRequiredService<VoiceService>();
        var (invitation, _) = await voices.FindByTokenAsync(token);
        scope.ServiceProvider.GetRequiredService<AppDbContext>().UseOrganisation(Organisation.Id);
        Assert.Equal(reviewId, invitation!.ReviewId);
        Assert.NotNull(
            await voices.SubmitAsync(
                invitation,
                "Jo",
                new Dictionary<string, string>
                {
                    [ItemId] =
                        "Nobody told us we could say no to the meeting. A leaflet in plain words would help.",
                }
            )
        );
    }

    /// <summary>Every Razor Page that answers GET, by its route, from the app's own endpoint list.</summary>
    public IReadOnlyList<string> PageRoutes() =>
        App
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e =>
                e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page
                && (
                    page.HandlerMethods.Count == 0
                    || page.HandlerMethods.Any(h =>
                        h.HttpMethod.Equals("GET", StringComparison.OrdinalIgnoreCase)
                    )
                )
            )
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The route with each parameter filled from the seeded data, or null when a parameter has no sample.</summary>
    public string? Fill(string route)
    {
        // Constraints off ("{id:guid}" is "{id}"), so the samples can name the text before a parameter.
        route = RouteParameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");
        var missing = false;
        var path = RouteParameter()
            .Replace(
                route,
                m =>
                {
                    var before = route[..m.Index] + "{" + m.Groups["name"].Value;
                    var sample = Samples
                        .Where(s => before.EndsWith(s.Key, StringComparison.Ordinal))
                        .OrderByDescending(s => s.Key.Length)
                        .Select(s => s.Value)
                        .FirstOrDefault();
                    missing |= sample is null;
                    return sample ?? "";
                }
            );
        return missing ? null : path;
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    // xunit 2 cleans up through IAsyncLifetime; IAsyncDisposable says the same to the analyzers.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
