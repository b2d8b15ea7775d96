using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

public sealed class ManageModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewService reviews
) : ReviewPageModel(db, editions, member)
{
    [BindProperty]
    public NewReviewInput Input { get; set; } = new();

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IEnumerable<RadioOption> SituationOptions =>
        Edition.Situations.Select(s => new RadioOption(s.Id, s.Text));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Input = new NewReviewInput
        {
            Title = Review.Title,
            Innovation = Review.Innovation,
            ServiceArea = Review.ServiceArea,
            SituationId = Review.SituationId,
            StageId = Review.CurrentStageId,
            Partners = Review.Partners,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostDetailsAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct))
        {
            return NotFound();
        }
        if (!CanFacilitate)
        {
            return Forbid();
        }
        var input = new ReviewInput(
            Input.Title,
            Input.Innovation,
            Input.ServiceArea,
            Input.SituationId,
            Review.CurrentStageId,
            Input.Partners
        );
        ModelState.Clear();
        AddErrors(ReviewRules.Check(input, Edition), "Input.");
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await reviews.UpdateDetailsAsync(Review, input, ct);
        Message = "Details saved";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) =>
        SetArchivedAsync(id, true, ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) =>
        SetArchivedAsync(id, false, ct);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct))
        {
            return NotFound();
        }
        if (!IsOwner)
        {
            return Forbid();
        }
        if (!ConfirmDelete)
        {
            await OnGetAsync(id, ct);
            ModelState.AddModelError(
                nameof(ConfirmDelete),
                "Tick the box to confirm that you want to delete this review"
            );
            return Page();
        }
        await reviews.DeleteAsync(Review, ct);
        TempData["Message"] = $"'{Review.Title}' deleted";
        return Redirect("/reviews");
    }

    private async Task<IActionResult> SetArchivedAsync(Guid id, bool archived, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct))
        {
            return NotFound();
        }
        if (!CanFacilitate)
        {
            return Forbid();
        }
        await reviews.SetArchivedAsync(Review, archived, ct);
        Message = archived ? "Review archived" : "Review reopened";
        return RedirectToPage();
    }
}
