using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Organisation;

[Authorize(Policy = Policies.Owner)]
public sealed class AuditModel(AppDbContext db, CurrentMember member) : PageModel
{
    private const int PageSize = 50;

    public List<AuditEvent> Events { get; private set; } = [];
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }
    public string? OrganisationName => member.OrganisationName;

    public async Task OnGetAsync([FromQuery(Name = "page")] int page = 1)
    {
        PageNumber = Math.Clamp(page, 1, 100_000);
        // The tenant filter on AuditEvents limits this to the signed-in organisation's own trail.
        var rows = await db
            .AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize + 1)
            .ToListAsync();
        HasMore = rows.Count > PageSize;
        Events = rows.Take(PageSize).ToList();
    }
}
