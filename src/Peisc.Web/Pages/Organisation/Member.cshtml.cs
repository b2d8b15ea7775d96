using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Data.Configurations;

namespace Peisc.Web.Pages.Organisation;

[Authorize(Policy = Policies.Owner)]
public sealed class MemberModel(
    AppDbContext db,
    MembershipService memberships,
    CurrentMember member
) : PageModel
{
    [BindProperty]
    public MemberRole? Role { get; set; }

    [BindProperty]
    public bool ConfirmRemove { get; set; }

    [BindProperty]
    public string? SuspendReason { get; set; }

    public DateTime? SuspendedAt { get; private set; }
    public string? SuspendedReason { get; private set; }

    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public string? OrganisationName => member.OrganisationName;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var membership = await FindAsync(id);
        if (membership is null)
        {
            return NotFound();
        }
        Role = membership.Role;
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid id)
    {
        var membership = await FindAsync(id);
        if (membership is null)
        {
            return NotFound();
        }
        if (Role is not { } role || !Enum.IsDefined(role))
        {
            ModelState.AddModelError(nameof(Role), "Select a role");
            return Page();
        }
        if (await memberships.ChangeRoleAsync(membership, role) is { } problem)
        {
            ModelState.AddModelError(nameof(Role), problem);
            return Page();
        }
        Message = $"{Name} is now a {role}";
        return Redirect("/organisation/members");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id)
    {
        var membership = await FindAsync(id);
        if (membership is null)
        {
            return NotFound();
        }
        Role = membership.Role;
        if (!ConfirmRemove)
        {
            ModelState.AddModelError(
                nameof(ConfirmRemove),
                "Tick the box to confirm that you want to remove this member"
            );
            return Page();
        }
        if (await memberships.RemoveAsync(membership) is { } problem)
        {
            ModelState.AddModelError(nameof(ConfirmRemove), problem);
            return Page();
        }
        Message = $"{Name} has been removed";
        return Redirect("/organisation/members");
    }

    public async Task<IActionResult> OnPostSuspendAsync(Guid id)
    {
        var membership = await FindAsync(id);
        if (membership is null)
        {
            return NotFound();
        }
        Role = membership.Role;
        var reason = SuspendReason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            ModelState.AddModelError(
                nameof(SuspendReason),
                "Enter why you are suspending this member's access"
            );
            return Page();
        }
        if (reason.Length > MembershipConfiguration.MaxSuspendedReasonLength)
        {
            ModelState.AddModelError(
                nameof(SuspendReason),
                $"The reason must be {MembershipConfiguration.MaxSuspendedReasonLength} characters or fewer"
            );
            return Page();
        }
        if (await memberships.SuspendAsync(membership, reason) is { } problem)
        {
            ModelState.AddModelError(nameof(SuspendReason), problem);
            return Page();
        }
        Message = $"{Name}'s access has been suspended and they have been signed out";
        return Redirect("/organisation/members");
    }

    public async Task<IActionResult> OnPostRestoreAsync(Guid id)
    {
        var membership = await FindAsync(id);
        if (membership is null)
        {
            return NotFound();
        }
        await memberships.RestoreAsync(membership);
        Message = $"{Name}'s access has been restored";
        return Redirect("/organisation/members");
    }

    private async Task<Membership?> FindAsync(Guid id)
    {
        // The tenant filter makes another organisation's member indistinguishable from a missing one.
        var membership = await db
            .Memberships.Include(m => m.User)
            .SingleOrDefaultAsync(m => m.Id == id);
        if (membership is not null)
        {
            Name = membership.User!.DisplayName;
            Email = membership.User.Email;
            SuspendedAt = membership.SuspendedAt;
            SuspendedReason = membership.SuspendedReason;
        }
        return membership;
    }
}
