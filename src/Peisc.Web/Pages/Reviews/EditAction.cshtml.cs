using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

public sealed class EditActionModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewService reviews,
    TimeProvider clock
) : ActionFormModel(db, editions, member)
{
    [TempData]
    public string? Message { get; set; }

    public override string SubmitLabel => "Save action";

    public ReviewAction Action { get; private set; } = default!;

    /// <summary>The version someone else saved while this person was editing; shown beside their own input.</summary>
    public ActionRow? Theirs { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid actionId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        var action = await Db
            .Actions.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == actionId && a.ReviewId == id, ct);
        if (action is null)
        {
            return NotFound();
        }
        if (!CanContribute)
        {
            return Denied();
        }
        Action = action;
        Input = ActionFormInput.From(action);
        await LoadMembersAsync(action.OwnerUserId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid actionId, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct: ct))
        {
            return NotFound();
        }
        var action = await Db.Actions.SingleOrDefaultAsync(
            a => a.Id == actionId && a.ReviewId == id,
            ct
        );
        if (action is null)
        {
            return NotFound();
        }
        if (!CanContribute)
        {
            return Denied();
        }
        Action = action;
        await LoadMembersAsync(action.OwnerUserId, ct);
        if (Validate() is not { } input)
        {
            return Page();
        }
        if (await reviews.UpdateActionAsync(Review, action, input, Input.Version, ct))
        {
            Message = $"Action updated: {action.Title}";
            return Redirect($"/reviews/{Review.Id}/actions");
        }

        // Someone saved first: show their version, keep this person's input, and let them save
        // again over it knowingly (the form now carries the version they have seen).
        var current = await Db
            .Actions.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == actionId && a.ReviewId == id, ct);
        if (current is null)
        {
            return NotFound();
        }
        Action = current;
        Theirs = (
            await ActionRows.LoadAsync(
                Db,
                id,
                Edition,
                ActionRows.Today(clock),
                q => q.Where(a => a.Id == actionId),
                ct
            )
        ).Single();
        Input.Version = current.Version;
        ModelState.AddModelError(
            "their-version",
            "Someone else changed this action while you were editing: check the current version below"
        );
        return Page();
    }
}
