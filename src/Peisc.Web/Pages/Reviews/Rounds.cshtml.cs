using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The review's rounds, starting the next one, and choosing two to compare.</summary>
public sealed class RoundsModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewService reviews
) : ReviewPageModel(db, editions, member)
{
    [BindProperty]
    public string? StageId { get; set; }

    [BindProperty]
    public bool ConfirmFreeze { get; set; }

    /// <summary>The round the person saw when they opened the form, so two facilitators never start two rounds.</summary>
    [BindProperty]
    public int FromRound { get; set; }

    [TempData]
    public string? Message { get; set; }

    public List<Round> Rounds { get; private set; } = [];

    public bool CanStartRound => CanFacilitate && Review.ArchivedAt is null;

    public IEnumerable<RadioOption> StageOptions =>
        Edition.Stages.Select(s => new RadioOption(
            s.Id,
            $"{s.Number}. {s.Name}" + (s.Id == Review.CurrentStageId ? " (the current stage)" : ""),
            char.ToUpperInvariant(s.Description[0]) + s.Description[1..]
        ));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        await LoadRoundsAsync(ct);
        FromRound = Review.CurrentRoundNumber;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct: ct))
        {
            return NotFound();
        }
        if (!CanStartRound)
        {
            return Denied();
        }
        if (FromRound != Review.CurrentRoundNumber)
        {
            ModelState.AddModelError(
                nameof(StageId),
                $"Someone else started round {Review.CurrentRoundNumber} while you were on this page: check the rounds below before starting another"
            );
        }
        else
        {
            if (Edition.Stages.All(s => s.Id != StageId))
            {
                ModelState.AddModelError(
                    nameof(StageId),
                    "Select the stage the innovation has moved to"
                );
            }
            if (!ConfirmFreeze)
            {
                ModelState.AddModelError(
                    nameof(ConfirmFreeze),
                    $"Confirm that round {Review.CurrentRoundNumber} will be frozen"
                );
            }
        }
        if (!ModelState.IsValid)
        {
            FromRound = Review.CurrentRoundNumber;
            await LoadRoundsAsync(ct);
            return Page();
        }
        var frozen = Review.CurrentRoundNumber;
        try
        {
            var round = await reviews.StartRoundAsync(Review, StageId!, ct);
            Message =
                $"Round {round.Number} started at the {StageName(round.StageId)} stage. Round {frozen} is frozen and its answers have been carried forward.";
        }
        catch (DbUpdateException)
        {
            // Another facilitator's round won the race for the next number (unique per review).
            Db.ChangeTracker.Clear();
            await LoadAsync(id, ct: ct);
            ModelState.AddModelError(
                nameof(StageId),
                $"Someone else started round {Review.CurrentRoundNumber} while you were on this page: check the rounds below before starting another"
            );
            FromRound = Review.CurrentRoundNumber;
            await LoadRoundsAsync(ct);
            return Page();
        }
        return Redirect($"/reviews/{Review.Id}");
    }

    private async Task LoadRoundsAsync(CancellationToken ct) =>
        Rounds = await Db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == Review.Id)
            .OrderBy(r => r.Number)
            .ToListAsync(ct);
}
