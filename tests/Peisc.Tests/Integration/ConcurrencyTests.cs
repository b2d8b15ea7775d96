using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>trust.md R3: two people saving the same answer never silently overwrite each other.</summary>
public sealed class ConcurrencyTests
{
    [Theory, BothDatabases]
    public async Task SaveAnswer_ManyEditorsOnTheSameVersion_ExactlyOneWinsAndEveryOtherIsTold(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.PartlyAddressed,
            "Starting point"
        );

        var outcomes = await Task.WhenAll(
            Enumerable
                .Range(0, 12)
                .Select(n =>
                    SaveAsync(app, org, review.Id, $"Editor {n}'s reasoning", expectedVersion: 1)
                )
        );

        var winner = Assert.Single(outcomes.OfType<SaveOutcome.Saved>());
        Assert.Equal(11, outcomes.OfType<SaveOutcome.Conflict>().Count());
        var stored = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ItemId == "human-rights.process.1"),
            org.Id
        );
        Assert.Equal((winner.Answer.Reasoning, 2), (stored.Reasoning, stored.Version));
        Assert.Equal(
            2,
            await app.QueryAsync(
                d => d.AnswerChanges.CountAsync(c => c.ItemId == "human-rights.process.1"),
                org.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task SaveAnswer_ManyEditorsOnDifferentItems_LoseNothingAndCountEverything(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var items = ReviewData.Peisc.AllCells.SelectMany(c => c.Items).Take(20).ToList();

        var outcomes = await Task.WhenAll(
            items.Select(i => SaveAsync(app, org, review.Id, $"On {i.Id}", 0, i.Id))
        );

        Assert.All(outcomes, o => Assert.IsType<SaveOutcome.Saved>(o));
        var stored = await app.QueryAsync(
            d => d.Reviews.SingleAsync(r => r.Id == review.Id),
            org.Id
        );
        Assert.Equal((20, 20), (stored.ConsideredCount, stored.ConcernCount));
        Assert.Equal(
            20,
            await app.QueryAsync(d => d.Answers.CountAsync(a => a.ReviewId == review.Id), org.Id)
        );
    }

    private static Task<SaveOutcome> SaveAsync(
        TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string reasoning,
        int expectedVersion,
        string itemId = "human-rights.process.1"
    ) =>
        app.AsMemberAsync(
            org,
            org[MemberRole.Contributor],
            async sp =>
            {
                var context = sp.GetRequiredService<AppDbContext>();
                var review = await context.Reviews.SingleAsync(r => r.Id == reviewId);
                var round = await context.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
                var cell = ReviewData.Peisc.AllCells.Single(c => c.Items.Any(i => i.Id == itemId));
                return await sp.GetRequiredService<ReviewService>()
                    .SaveAnswerAsync(
                        review,
                        round,
                        cell,
                        cell.Items.Single(i => i.Id == itemId),
                        new AnswerInput(Position.Concern, null, reasoning, null, Voices.None, null),
                        expectedVersion
                    );
            }
        );
}
