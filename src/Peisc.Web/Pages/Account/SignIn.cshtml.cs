using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignInModel(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    IPasswordHasher<AppUser> hasher,
    MembershipService memberships,
    AuditLog audit,
    IOptions<SecurityOptions> options
) : PageModel
{
    // Hashed once per process with the app's own hasher, so checking it costs what checking a real password costs.
    private static string? decoyHash;
    private static readonly AppUser Decoy = new() { Id = Guid.Empty, DisplayName = "" };

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Input.Email!.Trim());
        if (user is null)
        {
            // The same work as a wrong password, so that the time taken does not tell anyone
            // whether an account exists (trust.md S1).
            SpendPasswordCheck();
            await audit.WriteAsync(
                AuditActions.SignInFailed,
                detail: $"Unknown email {Input.Email}"
            );
            return Failed();
        }

        // Identity answers a locked account without checking the password: check one anyway, so
        // that a locked account takes as long as any other.
        if (await users.IsLockedOutAsync(user))
        {
            SpendPasswordCheck();
        }

        // lockoutOnFailure: true, which Identity's default sign-in page leaves off (trust.md S1).
        var result = await signIn.PasswordSignInAsync(
            user,
            Input.Password!,
            isPersistent: false,
            lockoutOnFailure: true
        );
        if (
            (result.Succeeded || result.RequiresTwoFactor)
            && await memberships.IsSuspendedEverywhereAsync(user.Id)
        )
        {
            // The password was right, so saying why is safe; there is no organisation to sign in to.
            await signIn.SignOutAsync();
            await audit.WriteAsync(
                AuditActions.SignInSuspended,
                nameof(AppUser),
                user.Id.ToString(),
                "Access suspended in every organisation",
                organisationId: user.LastOrganisationId,
                actorUserId: user.Id,
                actorName: user.DisplayName
            );
            ModelState.AddModelError(
                "Input.Email",
                "Your access has been suspended. Ask an owner of your organisation to restore it"
            );
            return Page();
        }
        if (result.Succeeded)
        {
            await audit.WriteAsync(
                AuditActions.SignedIn,
                nameof(AppUser),
                user.Id.ToString(),
                organisationId: user.LastOrganisationId,
                actorUserId: user.Id,
                actorName: user.DisplayName
            );
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/SignInTwoFactor", new { returnUrl = ReturnUrl });
        }
        await audit.WriteAsync(
            result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed,
            nameof(AppUser),
            user.Id.ToString(),
            result.IsLockedOut ? "Account locked after repeated failures" : "Wrong password",
            organisationId: user.LastOrganisationId,
            actorUserId: user.Id,
            actorName: user.DisplayName
        );
        return Failed();
    }

    // The same answer for an unknown email, a wrong password and a locked account, so nobody can probe for accounts.
    private PageResult Failed()
    {
        var o = options.Value;
        ModelState.AddModelError(
            "Input.Email",
            $"Enter a correct email address and password. After {o.MaxFailedSignIns} failed attempts an account is locked for {o.LockoutDuration.TotalMinutes:0} minutes"
        );
        return Page();
    }

    private void SpendPasswordCheck()
    {
        decoyHash ??= hasher.HashPassword(Decoy, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Decoy, decoyHash, Input.Password!);
    }

    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl.StartsWith('/')
        && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/organisation";
}

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your email address")]
    [StringLength(256, ErrorMessage = "Email address must be 256 characters or fewer")]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Enter your password")]
    [StringLength(1024, ErrorMessage = "Password must be 1024 characters or fewer")]
    public string? Password { get; set; }
}
