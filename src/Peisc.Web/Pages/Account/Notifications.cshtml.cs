using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Pages.Account;

/// <summary>Which emails a person gets: each kind can be turned off.</summary>
public sealed class NotificationsModel(AppDbContext db, CurrentMember member, AuditLog audit)
    : PageModel
{
    public sealed class Choices
    {
        public bool Mentions { get; set; }
        public bool ActionsAssigned { get; set; }
        public bool ActionsDueSoon { get; set; }
    }

    [BindProperty]
    public Choices Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == member.UserId, ct);
        Input = new Choices
        {
            Mentions = user.NotifyMentions,
            ActionsAssigned = user.NotifyActionsAssigned,
            ActionsDueSoon = user.NotifyActionsDueSoon,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Written as three columns, not through the tracked account: the account's concurrency stamp
        // changes whenever sign-in, two-factor or a password touches it elsewhere, and a choice of
        // emails should not fail because of that. The choices are absolute, so the last one stands.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db
            .Users.Where(u => u.Id == member.UserId)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(x => x.NotifyMentions, Input.Mentions)
                        .SetProperty(x => x.NotifyActionsAssigned, Input.ActionsAssigned)
                        .SetProperty(x => x.NotifyActionsDueSoon, Input.ActionsDueSoon),
                ct
            );
        audit.Add(
            "notifications.changed",
            "User",
            member.UserId.ToString(),
            $"mentions {On(Input.Mentions)}, actions assigned {On(Input.ActionsAssigned)}, actions due soon {On(Input.ActionsDueSoon)}"
        );
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Message = "Your email choices are saved";
        return RedirectToPage();
    }

    private static string On(bool on) => on ? "on" : "off";
}
