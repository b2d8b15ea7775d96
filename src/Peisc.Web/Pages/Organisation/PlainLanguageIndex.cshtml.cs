using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;

namespace Peisc.Web.Pages.Organisation;

/// <summary>Every item's plain-language question, ours or the organisation's own edit.</summary>
public sealed class PlainLanguageIndexModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    PlainLanguageCatalog ours
) : PageModel
{
    public FrameworkEdition Edition => catalog.Default;
    public Dictionary<string, string> Own { get; private set; } = [];
    public bool CanEdit => member.Has(MemberRole.Facilitator);

    [TempData]
    public string? Message { get; set; }

    public string Text(string itemId) => Own.GetValueOrDefault(itemId) ?? ours.Ours(itemId) ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (member.OrganisationId is null)
        {
            return NotFound();
        }
        Own = await db
            .PlainLanguageTexts.AsNoTracking()
            .ToDictionaryAsync(p => p.ItemId, p => p.Text, ct);
        return Page();
    }
}
