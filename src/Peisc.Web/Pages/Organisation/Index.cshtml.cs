using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Organisation;

public sealed class IndexModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    Microsoft.Extensions.Options.IOptions<SecurityOptions> security
) : PageModel
{
    public string? Name { get; private set; }
    public MemberRole? Role => member.Role;
    public bool IsOwner => member.Has(MemberRole.Owner);
    public bool RequireTwoFactor { get; private set; }
    public bool OwnersNeedTwoFactor => security.Value.RequireTwoFactorForOwners;
    public string DefaultEditionTitle { get; private set; } = "";
    public int OrganisationCount { get; private set; }

    public async Task OnGetAsync()
    {
        // IgnoreQueryFilters: counts only the signed-in person's own memberships, for the switch link;
        // a suspended one is not somewhere they can switch to.
        OrganisationCount = await db
            .Memberships.IgnoreQueryFilters()
            .CountAsync(m => m.UserId == member.UserId && m.SuspendedAt == null);
        if (member.OrganisationId is not { } organisationId)
        {
            return;
        }
        var organisation = await db
            .Organisations.AsNoTracking()
            .SingleAsync(o => o.Id == organisationId);
        Name = organisation.Name;
        RequireTwoFactor = organisation.RequireTwoFactor;
        DefaultEditionTitle = await Editions.TitleAsync(db, catalog, organisation.DefaultEditionId);
    }
}
