using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>The summary page: concerns, items not yet considered, overdue actions, missing voices.</summary>
public sealed class ReviewSummaryTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string ItemText(string itemId) =>
        ReviewData.Peisc.AllCells.SelectMany(c => c.Items).Single(i => i.Id == itemId).Text;

    /// <summary>An answer with dissent, which the shared builder does not take.</summary>
    private static Task<Answer> AnswerWithDissentAsync(
        TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string itemId,
        string reasoning,
        string dissent
    ) =>
        app.AsMemberAsync(
            org,
            org[MemberRole.Contributor],
            async sp =>
            {
                var data = sp.GetRequiredService<AppDbContext>();
                var review = await data.Reviews.SingleAsync(r => r.Id == reviewId);
                var round = await data.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
                var cell = ReviewData.Peisc.AllCells.Single(c => c.Items.Any(i => i.Id == itemId));
                var outcome = await sp.GetRequiredService<ReviewService>()
                    .SaveAnswerAsync(
                        review,
                        round,
                        cell,
                        cell.Items.Single(i => i.Id == itemId),
                        new AnswerInput(
                            Position.Concern,
                            null,
                            reasoning,
                            null,
                            Voices.None,
                            dissent
                        ),
                        0
                    );
                return Assert.IsType<SaveOutcome.Saved>(outcome).Answer;
            }
        );

    [Theory, BothDatabases]
    public async Task Summary_ListsConcernsUntouchedItemsOverdueActionsAndSectionsWithoutVoices(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await AnswerWithDissentAsync(
            app,
            org,
            review.Id,
            "human-rights.process.1",
            "Families are not asked before they take part.",
            "Two members think consent is implied by the referral."
        );
        await app.AnswerAsync(
            org,
            review.Id,
            "social-justice.outcomes.1",
            Position.Concern,
            "The evidence comes from one small study."
        );
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.innovation.1",
            Position.Addressed,
            "Open to all.",
            Voices.Families
        );
        await app.AnswerAsync(
            org,
            review.Id,
            "overarching.innovation.1",
            Position.Addressed,
            "Agreed purpose.",
            Voices.Practitioners
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Write the consent leaflet",
            Today.AddDays(-4),
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Finished late",
            Today.AddDays(-4),
            ActionStatus.Done
        );
        await app.CreateActionAsync(org, review.Id, "Not due yet", Today.AddDays(4));
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/summary");

        // Concerns, in the framework's order, with reasoning, dissent and whether an action is open.
        var concerns = page.FindAll("[id^='concern-']").ToList();
        Assert.Equal(
            ["concern-human-rights.process.1", "concern-social-justice.outcomes.1"],
            concerns.Select(c => c.Id)
        );
        var consent = Page.Normalise(concerns[0].TextContent);
        Assert.Contains(ItemText("human-rights.process.1"), consent, StringComparison.Ordinal);
        Assert.Contains(
            "Families are not asked before they take part.",
            consent,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Two members think consent is implied by the referral.",
            consent,
            StringComparison.Ordinal
        );
        Assert.Contains("1 open action", consent, StringComparison.Ordinal);
        var evidence = Page.Normalise(concerns[1].TextContent);
        Assert.Contains("No open action", evidence, StringComparison.Ordinal);
        Assert.NotNull(
            concerns[1]
                .QuerySelector(
                    $"a[href='/reviews/{review.Id}/actions/new?item=social-justice.outcomes.1']"
                )
        );

        // Items not yet considered: everything except the four answered, grouped by cell with links.
        var total = ReviewData.Peisc.AllCells.Sum(c => c.Items.Count);
        var untouched = page.Find("#not-considered")!.NextElementSibling!;
        Assert.Contains(
            $"{total - 4} items have not been considered yet",
            untouched.TextContent,
            StringComparison.Ordinal
        );
        var links = page.FindAll($"details a[href^='/reviews/{review.Id}/cells/']")
            .Select(a => a.GetAttribute("href"))
            .ToList();
        Assert.Contains(
            $"/reviews/{review.Id}/cells/human-rights/process#item-human-rights.process.2",
            links
        );
        Assert.Contains($"/reviews/{review.Id}/cells/human-rights/process", links);
        Assert.DoesNotContain(
            $"/reviews/{review.Id}/cells/human-rights/process#item-human-rights.process.1",
            links
        );
        Assert.Contains(
            "Human rights: The innovation process: 4 items",
            page.Text,
            StringComparison.Ordinal
        );

        // Overdue: open and past due only.
        var overdue = Page.Normalise(page.Find("#overdue-actions")!.TextContent);
        Assert.Contains("Write the consent leaflet", overdue, StringComparison.Ordinal);
        Assert.Contains("Overdue", overdue, StringComparison.Ordinal);
        Assert.DoesNotContain("Finished late", overdue, StringComparison.Ordinal);
        Assert.DoesNotContain("Not due yet", overdue, StringComparison.Ordinal);

        // Voices: human rights heard families; the other three sections heard nobody who uses services.
        var sections = page.FindAll("#sections-without-voices li")
            .Select(li => li.TextContent.Trim())
            .ToList();
        Assert.Equal(
            ReviewData.Peisc.Sections.Where(s => s.Id != "human-rights").Select(s => s.Title),
            sections
        );
    }

    [Theory, BothDatabases]
    public async Task Summary_NewReview_SaysEverythingIsStillToDo(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/summary");

        Assert.Contains(
            "The team has not recorded a concern in this round.",
            page.Text,
            StringComparison.Ordinal
        );
        Assert.Contains("No actions are overdue.", page.Text, StringComparison.Ordinal);
        Assert.Null(page.Find("#overdue-actions"));
        Assert.Equal(
            ReviewData.Peisc.Sections.Count,
            page.FindAll("#sections-without-voices li").Count()
        );
        Assert.Equal(12, page.FindAll("#not-considered ~ details").Count());
        Assert.Contains(
            $"0 of {ReviewData.Peisc.AllCells.Sum(c => c.Items.Count)}",
            page.Find("#at-a-glance")!.TextContent,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Summary_AnotherOrganisationsReview_AnswersNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var mine = await app.CreateOrganisationAsync();
        var theirs = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(theirs, title: "Their secret review");
        var client = await app.SignedInAsync(mine.Owner);

        var response = await client.GetAsync($"/reviews/{review.Id}/summary");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(
            "Their secret review",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }
}
