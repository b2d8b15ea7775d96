using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>Every saved version of one item's answer, across rounds, newest first.</summary>
public sealed class ItemHistoryModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member
) : ReviewPageModel(db, editions, member)
{
    public ItemPlace Place { get; private set; } = default!;
    public List<AnswerChange> Changes { get; private set; } = [];
    public Dictionary<Guid, Round> Rounds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string itemId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct) || Edition.FindItem(itemId) is not { } place)
        {
            return NotFound();
        }
        Place = place;
        Changes = await Db
            .AnswerChanges.AsNoTracking()
            .Where(c => c.ReviewId == id && c.ItemId == itemId)
            .OrderByDescending(c => c.Id)
            .ToListAsync(ct);
        Rounds = await Db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == id)
            .ToDictionaryAsync(r => r.Id, ct);
        return Page();
    }

    public Round? RoundOf(AnswerChange change) => Rounds.GetValueOrDefault(change.RoundId);
}
