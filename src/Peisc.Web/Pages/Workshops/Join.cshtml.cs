using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Workshops;

namespace Peisc.Web.Pages.Workshops;

/// <summary>
/// Where people type the code from the shared screen. Members of the session's organisation join as
/// themselves; anyone else gives a name and joins as a guest of that one session.
/// </summary>
[AllowAnonymous]
public sealed class JoinModel(
    AppDbContext db,
    CurrentMember member,
    WorkshopService workshops,
    JoinAttempts attempts
) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public bool AskName { get; set; }

    public void OnGet() =>
        Code = WorkshopService.NormaliseCode(Code) is { Length: > 0 } code
            ? WorkshopService.DisplayCode(code)
            : null;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(
                nameof(Code),
                "Enter the join code shown on the shared screen"
            );
            return Page();
        }
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (attempts.TooMany(address))
        {
            AskName = false;
            ModelState.AddModelError(
                nameof(Code),
                "Too many codes that are not in use were tried from this network: wait 10 minutes, then try again"
            );
            return Page();
        }
        var session = await workshops.FindByCodeAsync(Code, ct);
        if (session is null)
        {
            attempts.Failed(address);
            AskName = false;
            ModelState.AddModelError(
                nameof(Code),
                "That join code is not in use: check the code on the shared screen, or ask the facilitator if the session has ended"
            );
            return Page();
        }
        if (member.IsSignedIn && member.OrganisationId == session.OrganisationId)
        {
            await workshops.JoinAsMemberAsync(session, ct);
            return Redirect($"/workshops/{session.Id}/take-part");
        }
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (AskName)
            {
                ModelState.AddModelError(nameof(Name), "Enter your name");
            }
            AskName = true;
            Name ??= member.DisplayName;
            return Page();
        }
        if (name.Length > WorkshopLimits.Name)
        {
            AskName = true;
            ModelState.AddModelError(
                nameof(Name),
                $"Your name must be {WorkshopLimits.Name} characters or fewer"
            );
            return Page();
        }
        db.UseOrganisation(session.OrganisationId);
        var participant = await workshops.JoinAsGuestAsync(session, name, ct);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(GuestClaims.Participant, participant.Id.ToString()),
                new Claim(GuestClaims.Session, session.Id.ToString()),
                new Claim(GuestClaims.Organisation, session.OrganisationId.ToString()),
            ],
            WorkshopSetup.GuestScheme
        );
        await HttpContext.SignInAsync(WorkshopSetup.GuestScheme, new ClaimsPrincipal(identity));
        return Redirect($"/workshops/{session.Id}/take-part");
    }
}
