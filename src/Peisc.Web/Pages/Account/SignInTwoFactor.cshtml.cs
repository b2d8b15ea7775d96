using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignInTwoFactorModel(SignInManager<AppUser> signIn, AuditLog audit) : PageModel
{
    [BindProperty]
    public TwoFactorInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? RedirectToPage("/Account/SignIn")
            : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/SignIn");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var code = Input
            .Code!.Replace(" ", "", StringComparison.Ordinal)
            .Replace("-", "", StringComparison.Ordinal);
        var result =
            code.Length == 6 && code.All(char.IsAsciiDigit)
                ? await signIn.TwoFactorAuthenticatorSignInAsync(
                    code,
                    isPersistent: false,
                    rememberClient: false
                )
                : await signIn.TwoFactorRecoveryCodeSignInAsync(Input.Code!.Trim());
        if (result.Succeeded)
        {
            await audit.WriteAsync(
                AuditActions.SignedIn,
                nameof(AppUser),
                user.Id.ToString(),
                "With two-factor code",
                user.LastOrganisationId,
                user.Id,
                user.DisplayName
            );
            return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
        }
        await audit.WriteAsync(
            result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed,
            nameof(AppUser),
            user.Id.ToString(),
            "Wrong two-factor code",
            user.LastOrganisationId,
            user.Id,
            user.DisplayName
        );
        ModelState.AddModelError(
            "Input.Code",
            "The security code is not correct: check your authenticator app and try again"
        );
        return Page();
    }
}

public sealed class TwoFactorInput
{
    [Required(ErrorMessage = "Enter the security code from your authenticator app")]
    [StringLength(20, ErrorMessage = "Enter the security code from your authenticator app")]
    public string? Code { get; set; }
}
