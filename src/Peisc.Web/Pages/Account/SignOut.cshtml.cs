using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Account;

// Anonymous so that a sign-out from an expired session still lands on the signed-out page.
[AllowAnonymous]
public sealed class SignOutModel(
    SignInManager<AppUser> signIn,
    AuditLog audit,
    CurrentMember member
) : PageModel
{
    public IActionResult OnGet() => member.IsSignedIn ? Page() : Redirect("/account/signed-out");

    public async Task<IActionResult> OnPostAsync()
    {
        if (member.IsSignedIn)
        {
            await audit.WriteAsync(
                AuditActions.SignedOut,
                nameof(AppUser),
                member.UserId.ToString()
            );
            // SessionCookieEvents.SigningOut ends the server-side session, so a copied cookie stops working.
            await signIn.SignOutAsync();
        }
        return Redirect("/account/signed-out");
    }
}
