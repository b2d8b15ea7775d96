using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

public sealed class NewModel(
    AppDbContext db,
    CurrentMember member,
    EditionResolver editions,
    ReviewService reviews
) : PageModel
{
    [BindProperty]
    public NewReviewInput Input { get; set; } = new();

    public FrameworkEdition Edition { get; private set; } = default!;

    public IEnumerable<RadioOption> SituationOptions =>
        Edition.Situations.Select(s => new RadioOption(s.Id, s.Text));

    public IEnumerable<RadioOption> StageOptions =>
        Edition
            .Stages.OrderBy(s => s.Number)
            .Select(s => new RadioOption(s.Id, $"{s.Number}. {s.Name}", s.Description));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        await LoadAsync(ct);
        var input = new ReviewInput(
            Input.Title,
            Input.Innovation,
            Input.ServiceArea,
            Input.SituationId,
            Input.StageId,
            Input.Partners
        );
        // The rules below give one plain message per field; binding's own messages would repeat them.
        ModelState.Clear();
        foreach (var error in ReviewRules.Check(input, Edition))
        {
            ModelState.AddModelError("Input." + error.Field, error.Message);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var review = await reviews.CreateAsync(input, Edition, ct);
        return Redirect($"/reviews/{review.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var editionId = await db
            .Organisations.Where(o => o.Id == member.OrganisationId)
            .Select(o => o.DefaultEditionId)
            .SingleAsync(ct);
        Edition =
            await editions.FindAsync(editionId, ct)
            ?? await editions.GetAsync(FrameworkCatalog.DefaultEditionId, ct);
    }
}

public sealed class NewReviewInput
{
    public string? Title { get; set; }
    public string? Innovation { get; set; }
    public ServiceArea? ServiceArea { get; set; }
    public string? SituationId { get; set; }
    public string? StageId { get; set; }
    public string? Partners { get; set; }
}
