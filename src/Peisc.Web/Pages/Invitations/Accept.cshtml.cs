using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Invitations;

public enum AcceptMode
{
    Register,
    SignIn,
    Join,
    WrongAccount,
}

[AllowAnonymous]
public sealed class AcceptModel(
    MembershipService memberships,
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    CurrentMember member,
    TimeProvider clock
) : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    public Invitation? Invitation { get; private set; }
    public string? OrganisationName => Invitation?.Organisation?.Name;
    public AcceptMode Mode { get; private set; }
    public string? SignedInEmail { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        await LoadAsync(token);
        return Page();
    }

    public async Task<IActionResult> OnPostJoinAsync(string token)
    {
        var existing = await LoadAsync(token);
        if (Invitation is null || Mode != AcceptMode.Join || existing is null)
        {
            return Page();
        }
        await memberships.AcceptInvitationAsync(Invitation, existing);
        await SwitchToAsync(existing, Invitation.OrganisationId);
        return Redirect("/organisation");
    }

    public async Task<IActionResult> OnPostRegisterAsync(string token)
    {
        await LoadAsync(token);
        if (Invitation is null || Mode != AcceptMode.Register)
        {
            return Page();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = new AppUser
        {
            Id = Guid.NewGuid(),
            UserName = Invitation.Email,
            Email = Invitation.Email,
            // Following the emailed link proves the address.
            EmailConfirmed = true,
            DisplayName = Input.Name!.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            LastOrganisationId = Invitation.OrganisationId,
        };
        var result = await users.CreateAsync(user, Input.Password!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("Input.Password", error.Description);
            }
            return Page();
        }
        await memberships.AcceptInvitationAsync(Invitation, user);
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/organisation");
    }

    private async Task<AppUser?> LoadAsync(string token)
    {
        Invitation = await memberships.FindInvitationAsync(token);
        if (Invitation is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return null;
        }
        if (member.UserId is { } userId)
        {
            var current = await users.FindByIdAsync(userId.ToString());
            SignedInEmail = current?.Email;
            Mode = string.Equals(
                current?.Email,
                Invitation.Email,
                StringComparison.OrdinalIgnoreCase
            )
                ? AcceptMode.Join
                : AcceptMode.WrongAccount;
            return Mode == AcceptMode.Join ? current : null;
        }
        Mode = await users.FindByEmailAsync(Invitation.Email) is null
            ? AcceptMode.Register
            : AcceptMode.SignIn;
        return null;
    }

    private async Task SwitchToAsync(AppUser user, Guid organisationId)
    {
        user.LastOrganisationId = organisationId;
        await users.UpdateAsync(user);
        // A fresh session starts in the organisation just joined.
        await signIn.SignInAsync(user, isPersistent: false);
    }
}

public sealed class RegisterInput
{
    [Required(ErrorMessage = "Enter your full name")]
    [StringLength(200, ErrorMessage = "Name must be 200 characters or fewer")]
    public string? Name { get; set; }

    [Required(ErrorMessage = "Enter a password")]
    [StringLength(256, MinimumLength = 12, ErrorMessage = "Password must be 12 characters or more")]
    public string? Password { get; set; }
}
