using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Organisation;

public sealed class MembersModel(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    public sealed record MemberRow(
        Guid Id,
        string Name,
        string? Email,
        MemberRole Role,
        bool Suspended
    );

    public sealed record InvitationRow(Guid Id, string Email, MemberRole Role, DateTime ExpiresAt);

    public List<MemberRow> Members { get; private set; } = [];
    public List<InvitationRow> Invitations { get; private set; } = [];
    public bool IsOwner => member.Has(MemberRole.Owner);

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (member.OrganisationId is null)
        {
            return NotFound();
        }
        Members = await db
            .Memberships.AsNoTracking()
            .OrderBy(m => m.User!.DisplayName)
            .Select(m => new MemberRow(
                m.Id,
                m.User!.DisplayName,
                m.User.Email,
                m.Role,
                m.SuspendedAt != null
            ))
            .ToListAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        if (IsOwner)
        {
            Invitations = await db
                .Invitations.AsNoTracking()
                .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .OrderBy(i => i.Email)
                .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.ExpiresAt))
                .ToListAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        if (!IsOwner)
        {
            return Forbid();
        }
        var invitation = await db.Invitations.SingleOrDefaultAsync(i =>
            i.Id == id && i.AcceptedAt == null && i.RevokedAt == null
        );
        if (invitation is null)
        {
            return NotFound();
        }
        invitation.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(
            AuditActions.InvitationRevoked,
            nameof(Invitation),
            invitation.Id.ToString(),
            $"Invitation for {invitation.Email} cancelled"
        );
        await db.SaveChangesAsync();
        Message = $"Invitation for {invitation.Email} cancelled";
        return RedirectToPage();
    }
}
