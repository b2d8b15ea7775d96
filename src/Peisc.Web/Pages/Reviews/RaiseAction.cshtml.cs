using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

public sealed class RaiseActionModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewService reviews
) : ActionFormModel(db, editions, member)
{
    /// <summary>The item the action was raised from, if any: it starts ticked.</summary>
    [FromQuery(Name = "item")]
    public string? Item { get; set; }

    [TempData]
    public string? Message { get; set; }

    public override string SubmitLabel => "Raise action";

    public ItemPlace? From { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanContribute)
        {
            return Denied();
        }
        From = Item is null ? null : Edition.FindItem(Item);
        Input = new ActionFormInput
        {
            Status = nameof(ActionStatus.Open),
            ItemIds = From is null ? [] : [From.Item.Id],
        };
        await LoadMembersAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, track: true, ct: ct))
        {
            return NotFound();
        }
        if (!CanContribute)
        {
            return Denied();
        }
        From = Item is null ? null : Edition.FindItem(Item);
        await LoadMembersAsync(null, ct);
        if (Validate() is not { } input)
        {
            return Page();
        }
        var action = await reviews.CreateActionAsync(Review, input, ct);
        Message = $"Action raised: {action.Title}";
        return Redirect($"/reviews/{Review.Id}/actions");
    }
}
