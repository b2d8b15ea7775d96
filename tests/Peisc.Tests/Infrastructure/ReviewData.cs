using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Infrastructure;

/// <summary>Builders for reviews, answers and actions, written through ReviewService as a member would.</summary>
public static class ReviewData
{
    public static readonly FrameworkEdition Peisc = FrameworkLoader.LoadBuiltIn("peisc");

    /// <summary>Runs work as a signed-in member of the organisation, with the app's own services.</summary>
    public static async Task<T> AsMemberAsync<T>(
        this TestApp app,
        TestOrganisation org,
        TestUser user,
        Func<IServiceProvider, Task<T>> work
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var member = scope.ServiceProvider.GetRequiredService<CurrentMember>();
        member.UserId = user.Id;
        member.OrganisationId = org.Id;
        member.OrganisationName = org.Name;
        member.DisplayName = user.Name;
        member.Role = user.Role;
        return await work(scope.ServiceProvider);
    }

    public static Task<Review> CreateReviewAsync(
        this TestApp app,
        TestOrganisation org,
        string? title = null,
        string stageId = "stage.2",
        ServiceArea area = ServiceArea.Children,
        string situationId = "situation.2"
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Facilitator) ?? org.Owner,
            sp =>
                sp.GetRequiredService<ReviewService>()
                    .CreateAsync(
                        new ReviewInput(
                            title ?? "Review " + Guid.NewGuid().ToString("N")[..6],
                            "A family-group conferencing pilot.",
                            area,
                            situationId,
                            stageId,
                            "Northshire NHS Trust"
                        ),
                        Peisc
                    )
        );

    /// <summary>Saves an answer in the review's current round at whatever version it is now.</summary>
    public static Task<Answer> AnswerAsync(
        this TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string itemId,
        Position position,
        string? reasoning = null,
        Voices voices = Voices.None,
        string? notApplicableReason = null
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Contributor) ?? org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
                var round = await db.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
                var cell = Peisc.AllCells.Single(c => c.Items.Any(i => i.Id == itemId));
                var item = cell.Items.Single(i => i.Id == itemId);
                var version = await db
                    .Answers.Where(a => a.RoundId == round.Id && a.ItemId == itemId)
                    .Select(a => a.Version)
                    .SingleOrDefaultAsync();
                var outcome = await sp.GetRequiredService<ReviewService>()
                    .SaveAnswerAsync(
                        review,
                        round,
                        cell,
                        item,
                        new AnswerInput(
                            position,
                            notApplicableReason,
                            reasoning,
                            null,
                            voices,
                            null
                        ),
                        version
                    );
                return Assert.IsType<SaveOutcome.Saved>(outcome).Answer;
            }
        );

    public static Task<ReviewAction> CreateActionAsync(
        this TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string title,
        DateOnly? due = null,
        ActionStatus status = ActionStatus.Open,
        params string[] itemIds
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Contributor) ?? org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
                return await sp.GetRequiredService<ReviewService>()
                    .CreateActionAsync(
                        review,
                        new ActionInput(title, null, "Alex Named", due, status, itemIds)
                    );
            }
        );

    public static Task<Round> StartRoundAsync(
        this TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string stageId
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Facilitator) ?? org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
                return await sp.GetRequiredService<ReviewService>()
                    .StartRoundAsync(review, stageId);
            }
        );
}
