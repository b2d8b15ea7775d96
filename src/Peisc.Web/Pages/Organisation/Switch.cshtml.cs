using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Organisation;

public sealed class SwitchModel(AppDbContext db, CurrentMember member) : PageModel
{
    [BindProperty]
    public Guid? OrganisationId { get; set; }

    public List<RadioOption> Options { get; private set; } = [];

    public async Task OnGetAsync()
    {
        OrganisationId = member.OrganisationId;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // IgnoreQueryFilters: the person's own memberships, in every organisation they belong to.
        var allowed =
            OrganisationId is { } id
            && await db
                .Memberships.IgnoreQueryFilters()
                .AnyAsync(m =>
                    m.UserId == member.UserId && m.OrganisationId == id && m.SuspendedAt == null
                );
        if (!allowed)
        {
            ModelState.AddModelError(nameof(OrganisationId), "Select an organisation");
            await LoadAsync();
            return Page();
        }
        await db
            .UserSessions.Where(s => s.Id == member.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OrganisationId, OrganisationId));
        await db
            .Users.Where(u => u.Id == member.UserId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastOrganisationId, OrganisationId));
        return Redirect("/organisation");
    }

    private async Task LoadAsync() =>
        Options = await db
            .Memberships.IgnoreQueryFilters()
            .Where(m => m.UserId == member.UserId && m.SuspendedAt == null)
            .OrderBy(m => m.Organisation!.Name)
            .Select(m => new RadioOption(
                m.OrganisationId.ToString(),
                m.Organisation!.Name,
                m.Role.ToString()
            ))
            .ToListAsync();
}
