using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using QRCoder;

namespace Peisc.Web.Pages.Account;

public sealed class TwoFactorModel(
    UserManager<AppUser> users,
    CurrentMember member,
    AuditLog audit,
    IOptions<SecurityOptions> options
) : PageModel
{
    [BindProperty]
    public TwoFactorInput Input { get; set; } = new();

    public string UserName { get; private set; } = "";
    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string FormattedKey { get; private set; } = "";
    public string QrCodeDataUri { get; private set; } = "";
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync(await CurrentUserAsync());
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await CurrentUserAsync();
        if (ModelState.IsValid)
        {
            var code = Input
                .Code!.Replace(" ", "", StringComparison.Ordinal)
                .Replace("-", "", StringComparison.Ordinal);
            if (
                await users.VerifyTwoFactorTokenAsync(
                    user,
                    users.Options.Tokens.AuthenticatorTokenProvider,
                    code
                )
            )
            {
                if (!await SavedAsync(() => users.SetTwoFactorEnabledAsync(user, true)))
                {
                    return RedirectToPage();
                }
                await audit.WriteAsync(
                    AuditActions.TwoFactorEnabled,
                    nameof(AppUser),
                    user.Id.ToString()
                );
                // Null only if another tab changed the account at that moment: new codes can be
                // made from the page, which now shows two-factor as on.
                RecoveryCodes = (
                    await UnlessRacedAsync(() =>
                        users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10)
                    )
                )?.ToList();
                await LoadAsync(user);
                return Page();
            }
            ModelState.AddModelError(
                "Input.Code",
                "The security code is not correct: check your authenticator app and try again"
            );
        }
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Creates the key to scan. A POST, so that merely opening the page changes nothing.</summary>
    public async Task<IActionResult> OnPostStartAsync()
    {
        var user = await CurrentUserAsync();
        if (
            !user.TwoFactorEnabled && await SavedAsync(() => users.ResetAuthenticatorKeyAsync(user))
        )
        {
            await audit.WriteAsync(
                AuditActions.TwoFactorKeyIssued,
                nameof(AppUser),
                user.Id.ToString()
            );
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostNewRecoveryCodesAsync()
    {
        var user = await CurrentUserAsync();
        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }
        RecoveryCodes = (
            await UnlessRacedAsync(() => users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))
        )?.ToList();
        if (RecoveryCodes is null)
        {
            return RedirectToPage();
        }
        await audit.WriteAsync(
            AuditActions.RecoveryCodesIssued,
            nameof(AppUser),
            user.Id.ToString()
        );
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await CurrentUserAsync();
        if (!IsRequired() && await SavedAsync(() => users.SetTwoFactorEnabledAsync(user, false)))
        {
            await audit.WriteAsync(
                AuditActions.TwoFactorDisabled,
                nameof(AppUser),
                user.Id.ToString()
            );
            // The old key must not work if two-factor is turned on again; should this lose to
            // another tab, turning it on starts with a new key anyway.
            await UnlessRacedAsync(() => users.ResetAuthenticatorKeyAsync(user));
        }
        return RedirectToPage();
    }

    private static async Task<bool> SavedAsync(Func<Task<IdentityResult>> change) =>
        (await UnlessRacedAsync(change))?.Succeeded == true;

    // The same person in two tabs at once: Identity's concurrency stamp refuses one save of their
    // account, or, for a first key or first codes, the database refuses the second insert. The
    // other tab's change stands; this one is dropped (null) and the page shows what was saved,
    // with nothing audited for it.
    private static async Task<T?> UnlessRacedAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (DbUpdateException)
        {
            return default;
        }
    }

    private async Task<AppUser> CurrentUserAsync() =>
        await users.FindByIdAsync(member.UserId!.Value.ToString())
        ?? throw new InvalidOperationException("Signed-in user not found.");

    private bool IsRequired() =>
        member.TwoFactorRequiredButMissing
        || (member.Role == MemberRole.Owner && options.Value.RequireTwoFactorForOwners);

    private async Task LoadAsync(AppUser user)
    {
        UserName = user.Email ?? "";
        Enabled = user.TwoFactorEnabled;
        Required = IsRequired() || member.TwoFactorRequiredButMissing;
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            return;
        }
        FormattedKey = string.Join(
            ' ',
            key!.ToLowerInvariant().Chunk(4).Select(c => new string(c))
        );
        var uri =
            $"otpauth://totp/{Uri.EscapeDataString("PEISC")}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=PEISC&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        // A PNG data URI, because the CSP forbids the inline styles an SVG QR code would carry.
        QrCodeDataUri =
            "data:image/png;base64,"
            + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
