using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Organisation;

[Authorize(Policy = Policies.Owner)]
public sealed class SettingsModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    AuditLog audit
) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public List<RadioOption> EditionOptions { get; private set; } = [];

    [TempData]
    public bool Saved { get; set; }

    public async Task OnGetAsync()
    {
        var organisation = await db
            .Organisations.AsNoTracking()
            .SingleAsync(o => o.Id == member.OrganisationId);
        Input = new SettingsInput
        {
            Name = organisation.Name,
            RequireTwoFactor = organisation.RequireTwoFactor,
            DefaultEditionId = organisation.DefaultEditionId,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var choices = await Editions.ChoicesAsync(db, catalog);
        if (Input.DefaultEditionId is not null && choices.All(c => c.Id != Input.DefaultEditionId))
        {
            ModelState.AddModelError(
                "Input.DefaultEditionId",
                "Select a framework edition from the list"
            );
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        var organisation = await db.Organisations.SingleAsync(o => o.Id == member.OrganisationId);
        var changes = new List<string>();
        if (organisation.Name != Input.Name!.Trim())
        {
            changes.Add($"name '{organisation.Name}' to '{Input.Name.Trim()}'");
            organisation.Name = Input.Name.Trim();
        }
        if (organisation.RequireTwoFactor != Input.RequireTwoFactor)
        {
            changes.Add(
                $"two-factor for every member {(Input.RequireTwoFactor ? "required" : "not required")}"
            );
            organisation.RequireTwoFactor = Input.RequireTwoFactor;
        }
        if (organisation.DefaultEditionId != Input.DefaultEditionId)
        {
            audit.Add(
                AuditActions.DefaultEditionChanged,
                nameof(Organisation),
                organisation.Id.ToString(),
                $"Default edition '{organisation.DefaultEditionId}' to '{Input.DefaultEditionId}'"
            );
            organisation.DefaultEditionId = Input.DefaultEditionId!;
        }
        if (changes.Count > 0)
        {
            audit.Add(
                AuditActions.OrganisationUpdated,
                nameof(Organisation),
                organisation.Id.ToString(),
                "Changed " + string.Join("; ", changes)
            );
        }
        await db.SaveChangesAsync();
        Saved = true;
        return RedirectToPage();
    }

    private async Task LoadAsync() =>
        EditionOptions = (await Editions.ChoicesAsync(db, catalog))
            .Select(c => new RadioOption(
                c.Id,
                $"{c.Title} ({c.Version})",
                c.BuiltIn ? "Built in" : "Uploaded by your organisation"
            ))
            .ToList();
}

public sealed class SettingsInput
{
    [Required(ErrorMessage = "Enter the name of your organisation")]
    [StringLength(200, ErrorMessage = "Organisation name must be 200 characters or fewer")]
    public string? Name { get; set; }

    public bool RequireTwoFactor { get; set; }

    [Required(ErrorMessage = "Select a framework edition")]
    public string? DefaultEditionId { get; set; }
}
