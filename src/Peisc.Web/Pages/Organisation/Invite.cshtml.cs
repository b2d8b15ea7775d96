using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Organisation;

[Authorize(Policy = Policies.Owner)]
public sealed class InviteModel(
    AppDbContext db,
    MembershipService memberships,
    CurrentMember member,
    IOptions<SecurityOptions> options
) : PageModel
{
    [BindProperty]
    public InviteInput Input { get; set; } = new();

    public string? OrganisationName => member.OrganisationName;
    public int LifetimeDays => (int)options.Value.InvitationLifetime.TotalDays;

    [TempData]
    public string? Message { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var email = Input.Email!.Trim();
            var normalised = email.ToUpperInvariant();
            var alreadyMember = await db.Memberships.AnyAsync(
                m => m.User!.NormalizedEmail == normalised,
                ct
            );
            if (alreadyMember)
            {
                ModelState.AddModelError(
                    "Input.Email",
                    $"{email} is already a member of {OrganisationName}"
                );
            }
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await memberships.InviteAsync(
            Input.Email!,
            Input.Role!.Value,
            $"{Request.Scheme}://{Request.Host}{Request.PathBase}",
            ct
        );
        Message = $"Invitation sent to {Input.Email!.Trim()}";
        return Redirect("/organisation/members");
    }
}

public sealed class InviteInput
{
    [Required(ErrorMessage = "Enter the email address of the person to invite")]
    [EmailAddress(
        ErrorMessage = "Enter an email address in the correct format, like name@example.org"
    )]
    [StringLength(256, ErrorMessage = "Email address must be 256 characters or fewer")]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Select a role")]
    public MemberRole? Role { get; set; }
}
