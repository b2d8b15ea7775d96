using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Setup;

/// <summary>First run only: creates the organisation and its first owner, then refuses for ever after.</summary>
[AllowAnonymous]
public sealed class IndexModel(
    AppDbContext db,
    MembershipService memberships,
    SignInManager<AppUser> signIn,
    FirstRunState firstRun
) : PageModel
{
    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() =>
        await db.Users.AnyAsync() ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await db.Users.AnyAsync())
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (_, owner, result) = await memberships.CreateOrganisationAsync(
            Input.OrganisationName!,
            Input.Name!,
            Input.Email!,
            Input.Password!
        );
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(
                    error.Code.Contains("Password", StringComparison.Ordinal)
                        ? "Input.Password"
                        : "Input.Email",
                    error.Description
                );
            }
            return Page();
        }
        firstRun.SetUpDone = true;
        await signIn.SignInAsync(owner!, isPersistent: false);
        return Redirect("/organisation");
    }
}

public sealed class SetupInput
{
    [Required(ErrorMessage = "Enter the name of your organisation")]
    [StringLength(200, ErrorMessage = "Organisation name must be 200 characters or fewer")]
    public string? OrganisationName { get; set; }

    [Required(ErrorMessage = "Enter your full name")]
    [StringLength(200, ErrorMessage = "Name must be 200 characters or fewer")]
    public string? Name { get; set; }

    [Required(ErrorMessage = "Enter your email address")]
    [EmailAddress(
        ErrorMessage = "Enter an email address in the correct format, like name@example.org"
    )]
    [StringLength(256, ErrorMessage = "Email address must be 256 characters or fewer")]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Enter a password")]
    [StringLength(256, MinimumLength = 12, ErrorMessage = "Password must be 12 characters or more")]
    public string? Password { get; set; }
}
