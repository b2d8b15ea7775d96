using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>Rounds: starting the next one, comparing two, and each item's history.</summary>
public sealed class ReviewRoundsTests
{
    private const string Consent = "human-rights.process.1";
    private const string Reach = "human-rights.innovation.1";

    // In the order of the form, as GOV.UK asks.
    private static void HasErrors(Page page, params string[] expected) =>
        Assert.Equal(expected, page.ErrorSummary);

    private static Task<ReviewAction> UpdateActionAsync(
        TestApp app,
        TestOrganisation org,
        Guid actionId,
        ActionStatus status
    ) =>
        app.AsMemberAsync(
            org,
            org[MemberRole.Contributor],
            async sp =>
            {
                var data = sp.GetRequiredService<AppDbContext>();
                var action = await data.Actions.SingleAsync(a => a.Id == actionId);
                var review = await data.Reviews.SingleAsync(r => r.Id == action.ReviewId);
                Assert.True(
                    await sp.GetRequiredService<ReviewService>()
                        .UpdateActionAsync(
                            review,
                            action,
                            new ActionInput(
                                action.Title,
                                null,
                                action.OwnerName,
                                null,
                                status,
                                [
                                    .. action.ItemIds.Split(
                                        ' ',
                                        StringSplitOptions.RemoveEmptyEntries
                                    ),
                                ]
                            ),
                            action.Version
                        )
                );
                return action;
            }
        );

    [Theory, BothDatabases]
    public async Task StartRound_Confirmed_FreezesTheRoundAndCarriesAnswersForward(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, stageId: "stage.2");
        await app.AnswerAsync(org, review.Id, Consent, Position.Concern, "No consent process yet.");
        await app.CreateActionAsync(org, review.Id, "Draft the consent process");
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/rounds");
        Assert.Contains("Current", page.Find("#round-1")!.TextContent, StringComparison.Ordinal);
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string> { ["StageId"] = "stage.3", ["ConfirmFreeze"] = "true" },
            "#start-round-form"
        );

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/reviews/{review.Id}", response.Headers.Location!.OriginalString);
        var overview = await client.FollowAsync(response, page.Url);
        Assert.Contains(
            "Round 2 started at the Testing stage. Round 1 is frozen and its answers have been carried forward.",
            overview.Find(".govuk-notification-banner")!.TextContent,
            StringComparison.Ordinal
        );
        var rounds = await app.QueryAsync(
            d => d.Rounds.OrderBy(r => r.Number).ToListAsync(),
            org.Id
        );
        Assert.Equal(2, rounds.Count);
        Assert.NotNull(rounds[0].FrozenAt);
        Assert.Null(rounds[1].FrozenAt);
        Assert.Equal("stage.3", rounds[1].StageId);
        var current = await app.QueryAsync(d => d.Reviews.SingleAsync(), org.Id);
        Assert.Equal(
            (rounds[1].Id, 2, "stage.3"),
            (current.CurrentRoundId, current.CurrentRoundNumber, current.CurrentStageId)
        );

        // Round 2 starts from round 1's answers.
        var carried = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.RoundId == rounds[1].Id && a.ItemId == Consent),
            org.Id
        );
        Assert.Equal(
            (Position.Concern, "No consent process yet."),
            (carried.Position, carried.Reasoning)
        );

        // Round 1 can no longer change.
        var outcome = await app.AsMemberAsync(
            org,
            org[MemberRole.Contributor],
            async sp =>
            {
                var data = sp.GetRequiredService<AppDbContext>();
                var r = await data.Reviews.SingleAsync();
                var cell = ReviewData.Peisc.FindCell("human-rights", "process")!;
                return await sp.GetRequiredService<ReviewService>()
                    .SaveAnswerAsync(
                        r,
                        rounds[0],
                        cell,
                        cell.Items[0],
                        new AnswerInput(
                            Position.Addressed,
                            null,
                            "Changed",
                            null,
                            Voices.None,
                            null
                        ),
                        1
                    );
            }
        );
        Assert.IsType<SaveOutcome.Invalid>(outcome);
        var frozen = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.RoundId == rounds[0].Id && a.ItemId == Consent),
            org.Id
        );
        Assert.Equal(Position.Concern, frozen.Position);

        // The rounds page shows both rounds; the open action stays open on the plan.
        var after = await client.GetPageAsync($"/reviews/{review.Id}/rounds");
        Assert.DoesNotContain(
            "Current",
            after.Find("#round-1")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains("Testing", after.Find("#round-2")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Current", after.Find("#round-2")!.TextContent, StringComparison.Ordinal);
        var plan = await client.GetPageAsync($"/reviews/{review.Id}/actions");
        Assert.Contains("Draft the consent process", plan.Text, StringComparison.Ordinal);
        Assert.Contains(
            "Open",
            plan.Find("#actions tbody tr")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "round.started");
    }

    [Theory, BothDatabases]
    public async Task StartRound_WithoutStageOrConfirmation_ShowsErrorsAndStartsNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var page = await client.GetPageAsync($"/reviews/{review.Id}/rounds");

        var errors = await Html.ToPageAsync(
            await client.SubmitAsync(page, null, "#start-round-form"),
            page.Url
        );

        HasErrors(
            errors,
            "Select the stage the innovation has moved to",
            "Confirm that round 1 will be frozen"
        );
        Assert.Single(await app.QueryAsync(d => d.Rounds.ToListAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task StartRound_SomeoneElseStartedOneMeanwhile_DoesNotStartAnother(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var page = await client.GetPageAsync($"/reviews/{review.Id}/rounds");
        await app.StartRoundAsync(org, review.Id, "stage.3");

        var errors = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["StageId"] = "stage.4",
                    ["ConfirmFreeze"] = "true",
                },
                "#start-round-form"
            ),
            page.Url
        );

        Assert.Equal(
            [
                "Someone else started round 2 while you were on this page: check the rounds below before starting another",
            ],
            errors.ErrorSummary
        );
        Assert.Equal(2, (await app.QueryAsync(d => d.Rounds.ToListAsync(), org.Id)).Count);
    }

    [Theory, BothDatabases]
    public async Task StartRound_ContributorOrViewer_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        foreach (var role in new[] { MemberRole.Contributor, MemberRole.Viewer })
        {
            var client = await app.SignedInAsync(org[role]);
            var page = await client.GetPageAsync($"/reviews/{review.Id}/rounds");
            Assert.Null(page.Find("#start-round-form"));
            var token = page.Find("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

            var response = await client.PostAsync(
                $"/reviews/{review.Id}/rounds",
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["__RequestVerificationToken"] = token,
                        ["StageId"] = "stage.3",
                        ["ConfirmFreeze"] = "true",
                        ["FromRound"] = "1",
                    }
                )
            );

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(
                "/account/access-denied",
                response.Headers.Location!.PathAndQuery,
                StringComparison.Ordinal
            );
        }
        Assert.Single(await app.QueryAsync(d => d.Rounds.ToListAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Compare_TwoRounds_ShowsChangedItemsAndActionsOpenedAndClosed(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(org, review.Id, Consent, Position.Concern, "No consent process yet.");
        await app.AnswerAsync(org, review.Id, Reach, Position.Addressed, "Open to every family.");
        var staysOpen = await app.CreateActionAsync(org, review.Id, "Carried over, still open");
        var closedLater = await app.CreateActionAsync(org, review.Id, "Closed in round two");
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerAsync(
            org,
            review.Id,
            Consent,
            Position.Addressed,
            "Consent leaflet agreed with the parent panel."
        );
        await UpdateActionAsync(app, org, closedLater.Id, ActionStatus.Done);
        await app.CreateActionAsync(org, review.Id, "Opened in round two");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var rounds = await client.GetPageAsync($"/reviews/{review.Id}/rounds");
        var compareForm = rounds.Find("#compare-form")!;
        Assert.Equal("get", compareForm.GetAttribute("method"));
        Assert.Equal($"/reviews/{review.Id}/compare", compareForm.GetAttribute("action"));
        var page = await client.GetPageAsync($"/reviews/{review.Id}/compare?from=1&to=2");

        var changed = Assert.Single(page.FindAll(".govuk-summary-card"));
        Assert.Equal($"change-{Consent}", changed.Id);
        var text = Page.Normalise(changed.TextContent);
        Assert.Contains(
            ReviewData.Peisc.FindCell("human-rights", "process")!.Items[0].Text,
            text,
            StringComparison.Ordinal
        );
        Assert.Contains("Round 1: Concern", text, StringComparison.Ordinal);
        Assert.Contains("Round 2: Addressed", text, StringComparison.Ordinal);
        Assert.Contains("No consent process yet.", text, StringComparison.Ordinal);
        Assert.Contains(
            "Consent leaflet agreed with the parent panel.",
            text,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("Unchanged", text, StringComparison.Ordinal);
        var itemCount = ReviewData.Peisc.AllCells.Sum(c => c.Items.Count);
        Assert.Contains(
            $"1 item changed, {itemCount - 1} items unchanged",
            page.Find("#compare-summary")!.TextContent,
            StringComparison.Ordinal
        );
        var opened = Page.Normalise(page.Find("#actions-opened")!.TextContent);
        Assert.Contains("Opened in round two", opened, StringComparison.Ordinal);
        Assert.DoesNotContain(staysOpen.Title, opened, StringComparison.Ordinal);
        var closed = Page.Normalise(page.Find("#actions-closed")!.TextContent);
        Assert.Contains("Closed in round two", closed, StringComparison.Ordinal);
        Assert.Contains("Done", closed, StringComparison.Ordinal);
        Assert.DoesNotContain(staysOpen.Title, closed, StringComparison.Ordinal);

        // Only the reasoning changing is a change too, marked as such.
        await app.AnswerAsync(
            org,
            review.Id,
            Reach,
            Position.Addressed,
            "Open to every family, including those outside the county."
        );
        var again = await client.GetPageAsync($"/reviews/{review.Id}/compare");
        var reach = Page.Normalise(again.Find($"[id='change-{Reach}']")!.TextContent);
        Assert.Contains("Position Unchanged", reach, StringComparison.Ordinal);
        Assert.Contains("Reasoning Changed", reach, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Compare_RoundsThatDoNotExist_AnswerNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.StartRoundAsync(org, review.Id, "stage.3");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        foreach (
            var query in new[]
            {
                "?from=1&to=3",
                "?from=0&to=2",
                "?from=one&to=2",
                "?from=-1&to=2",
                "?to=7",
            }
        )
        {
            await client.GetPageAsync(
                $"/reviews/{review.Id}/compare{query}",
                HttpStatusCode.NotFound
            );
        }
        var reversed = await client.GetAsync($"/reviews/{review.Id}/compare?from=2&to=1");
        Assert.Equal(
            $"/reviews/{review.Id}/compare?from=1&to=2",
            reversed.Headers.Location!.OriginalString
        );
        await client.GetPageAsync($"/reviews/{review.Id}/compare?from=1&to=2");
    }

    [Theory, BothDatabases]
    public async Task History_AnItemSavedThreeTimes_ListsEachVersionWithWhoAndWhen(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(org, review.Id, Consent, Position.PartlyAddressed, "First thoughts.");
        await app.AnswerAsync(
            org,
            review.Id,
            Consent,
            Position.Concern,
            "After hearing from families.",
            Voices.Families | Voices.Practitioners
        );
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerAsync(
            org,
            review.Id,
            Consent,
            Position.Addressed,
            "The leaflet is in use."
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/items/{Consent}/history");

        var versions = page.FindAll(".app-history-version")
            .Select(v => Page.Normalise(v.TextContent))
            .ToList();
        Assert.Equal(3, versions.Count);
        Assert.Contains("Round 2 (Testing), version 2", versions[0], StringComparison.Ordinal);
        Assert.Contains("The leaflet is in use.", versions[0], StringComparison.Ordinal);
        Assert.Contains("Round 1 (Designing), version 2", versions[1], StringComparison.Ordinal);
        Assert.Contains("Concern", versions[1], StringComparison.Ordinal);
        Assert.Contains("Families, Practitioners", versions[1], StringComparison.Ordinal);
        Assert.Contains("Round 1 (Designing), version 1", versions[2], StringComparison.Ordinal);
        Assert.Contains("First thoughts.", versions[2], StringComparison.Ordinal);
        var contributor = org[MemberRole.Contributor].Name;
        var when = await app.QueryAsync(
            d =>
                d.AnswerChanges.OrderByDescending(c => c.Id).Select(c => c.ChangedAt).ToListAsync(),
            org.Id
        );
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"by {contributor}", versions[i], StringComparison.Ordinal);
            Assert.Contains(
                when[i]
                    .ToString(
                        "d MMMM yyyy 'at' HH:mm 'UTC'",
                        System.Globalization.CultureInfo.InvariantCulture
                    ),
                versions[i],
                StringComparison.Ordinal
            );
        }
        await client.GetPageAsync(
            $"/reviews/{review.Id}/items/human-rights.process.99/history",
            HttpStatusCode.NotFound
        );
        Assert.Contains(
            "Nobody has saved an answer",
            (await client.GetPageAsync($"/reviews/{review.Id}/items/{Reach}/history")).Text,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task RoundPages_AnotherOrganisationsReview_AnswerNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var mine = await app.CreateOrganisationAsync();
        var theirs = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(theirs);
        await app.AnswerAsync(theirs, review.Id, Consent, Position.Concern, "Theirs");
        await app.StartRoundAsync(theirs, review.Id, "stage.3");
        var own = await app.CreateReviewAsync(mine);
        var client = await app.SignedInAsync(mine.Owner);
        var token = (await client.GetPageAsync($"/reviews/{own.Id}/rounds"))
            .Find("input[name=__RequestVerificationToken]")!
            .GetAttribute("value")!;

        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}/rounds",
                $"/reviews/{review.Id}/compare?from=1&to=2",
                $"/reviews/{review.Id}/compare",
                $"/reviews/{review.Id}/items/{Consent}/history",
            }
        )
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(
                "Theirs",
                await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }
        var post = await client.PostAsync(
            $"/reviews/{review.Id}/rounds",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token,
                    ["StageId"] = "stage.4",
                    ["ConfirmFreeze"] = "true",
                    ["FromRound"] = "2",
                }
            )
        );
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(2, (await app.QueryAsync(d => d.Rounds.ToListAsync(), theirs.Id)).Count);
    }
}
