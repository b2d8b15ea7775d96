using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Reviews;

/// <summary>
/// What every page of one review needs: the review (through the tenant filter, so another
/// organisation's review is simply not found), its framework edition and its current round.
/// </summary>
public abstract class ReviewPageModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member
) : PageModel
{
    protected AppDbContext Db => db;
    protected CurrentMember Member => member;

    public Review Review { get; private set; } = default!;
    public FrameworkEdition Edition { get; private set; } = default!;
    public Round CurrentRound { get; private set; } = default!;

    /// <summary>The review's tabs: &lt;partial name="_ReviewNav" model="Model.Nav" /&gt;.</summary>
    public ReviewNav Nav => new(Review.Id, Review.Title, Review.ArchivedAt is not null);

    public bool CanContribute => member.Has(MemberRole.Contributor) && Review.ArchivedAt is null;
    public bool CanFacilitate => member.Has(MemberRole.Facilitator);
    public bool IsOwner => member.Has(MemberRole.Owner);

    public string StageName(string stageId) =>
        Edition.Stages.FirstOrDefault(s => s.Id == stageId)?.Name ?? stageId;

    /// <summary>Loads the review; false means answer 404.</summary>
    protected async Task<bool> LoadAsync(
        Guid id,
        bool track = false,
        CancellationToken ct = default
    )
    {
        var query = track ? db.Reviews : db.Reviews.AsNoTracking();
        var review = await query.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
        {
            return false;
        }
        Review = review;
        Edition = await editions.GetAsync(review.EditionId, ct);
        CurrentRound = await db
            .Rounds.AsNoTracking()
            .SingleAsync(r => r.Id == review.CurrentRoundId, ct);
        ViewData["ReviewNav"] = new ReviewNav(
            review.Id,
            review.Title,
            review.ArchivedAt is not null
        );
        return true;
    }

    protected void AddErrors(IEnumerable<FieldError> errors, string prefix)
    {
        foreach (var error in errors)
        {
            ModelState.AddModelError(prefix + error.Field, error.Message);
        }
    }

    protected IActionResult Denied() => Forbid();
}

public sealed record ReviewNav(Guid Id, string Title, bool Archived);
