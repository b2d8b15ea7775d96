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
        // Pages that only read get the review and its current round in one query. Pages that change
        // the review track it, and never the round, which services load for themselves.
        var found = track
            ? await db
                .Reviews.Where(r => r.Id == id)
                .Select(r => new { Review = r, Round = (Round?)null })
                .SingleOrDefaultAsync(ct)
            : await (
                from r in db.Reviews.AsNoTracking()
                where r.Id == id
                join round in db.Rounds.AsNoTracking() on r.CurrentRoundId equals round.Id
                select new { Review = r, Round = (Round?)round }
            ).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return false;
        }
        var review = found.Review;
        Review = review;
        CurrentRound =
            found.Round
            ?? await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == review.CurrentRoundId, ct);
        Edition = await editions.GetAsync(review.EditionId, ct);
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
