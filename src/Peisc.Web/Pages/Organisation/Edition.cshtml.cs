using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Organisation;

public sealed class EditionModel(AppDbContext db, CurrentMember member, AuditLog audit) : PageModel
{
    [BindProperty]
    public bool ConfirmDelete { get; set; }

    public FrameworkEdition Edition { get; private set; } = default!;
    public DateTime UploadedAt { get; private set; }
    public bool IsDefault { get; private set; }
    public bool IsOwner => member.Has(MemberRole.Owner);

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) =>
        await LoadAsync(id) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        var row = await LoadAsync(id);
        if (row is null)
        {
            return NotFound();
        }
        if (!IsOwner)
        {
            return Forbid();
        }
        if (IsDefault)
        {
            ModelState.AddModelError(
                nameof(ConfirmDelete),
                "Choose another edition for new reviews before deleting this one"
            );
            return Page();
        }
        if (!ConfirmDelete)
        {
            ModelState.AddModelError(
                nameof(ConfirmDelete),
                "Tick the box to confirm that you want to delete this edition"
            );
            return Page();
        }
        db.OrganisationEditions.Remove(row);
        audit.Add(
            AuditActions.EditionDeleted,
            nameof(OrganisationEdition),
            row.Id.ToString(),
            $"{row.Title} ({row.EditionId})"
        );
        await db.SaveChangesAsync();
        Message = $"{row.Title} deleted";
        return Redirect("/organisation/editions");
    }

    private async Task<OrganisationEdition?> LoadAsync(Guid id)
    {
        var row = await db.OrganisationEditions.SingleOrDefaultAsync(e => e.Id == id);
        if (row is null)
        {
            return null;
        }
        Edition =
            FrameworkLoader.Load(row.Json).Edition
            ?? throw new InvalidOperationException($"Stored edition {row.Id} no longer loads.");
        UploadedAt = row.UploadedAt;
        IsDefault = await db.Organisations.AnyAsync(o =>
            o.Id == member.OrganisationId && o.DefaultEditionId == row.EditionId
        );
        return row;
    }
}
