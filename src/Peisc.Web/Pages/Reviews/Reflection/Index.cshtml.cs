using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews.Reflection;

/// <summary>
/// Individual reflection for the current round: which cells are open, how many have responded,
/// and, once views are revealed, the items where the team's views differ most.
/// </summary>
public sealed class IndexModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    DeliberationService deliberation
) : ReviewPageModel(db, editions, member)
{
    public sealed record CellState(
        Section Section,
        Cell Cell,
        Data.Reflection? Reflection,
        int People,
        string Href
    );

    public sealed record DivergentItem(ItemPlace Place, Spread Spread, string Href);

    public List<CellState> Cells { get; private set; } = [];
    public List<DivergentItem> MostDivergent { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public bool CanOpen =>
        CanFacilitate && Review.ArchivedAt is null && CurrentRound.FrozenAt is null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        await LoadStateAsync(ct);
        return Page();
    }

    /// <summary>Opens one cell, or every cell not yet open when no cell is named.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, string? cellId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanOpen)
        {
            return Forbid();
        }
        var cells = Edition.AllCells.Where(c => cellId is null || c.Id == cellId).ToList();
        if (cells.Count == 0)
        {
            return NotFound();
        }
        var opened = await deliberation.OpenAsync(Review, CurrentRound, cells, ct);
        Message =
            opened == 0 ? "Those cells were already open"
            : opened == 1 ? "1 cell opened for individual reflection"
            : $"{opened} cells opened for individual reflection";
        return RedirectToPage(new { id });
    }

    private async Task LoadStateAsync(CancellationToken ct)
    {
        var reflections = await Db
            .Reflections.AsNoTracking()
            .Where(r => r.RoundId == CurrentRound.Id)
            .ToDictionaryAsync(r => r.CellId, ct);
        var views = await Db
            .IndividualViews.AsNoTracking()
            .Where(v => v.RoundId == CurrentRound.Id)
            .Select(v => new
            {
                v.CellId,
                v.ItemId,
                v.UserId,
                v.Position,
            })
            .ToListAsync(ct);
        Cells = Edition
            .Sections.SelectMany(s =>
                s.Cells.Select(c => new CellState(
                    s,
                    c,
                    reflections.GetValueOrDefault(c.Id),
                    views.Where(v => v.CellId == c.Id).Select(v => v.UserId).Distinct().Count(),
                    $"/reviews/{Review.Id}/reflection/{s.Id}/{c.Domain}"
                ))
            )
            .ToList();
        // Only revealed views may be compared: before that, nobody sees anyone else's.
        MostDivergent = views
            .Where(v => reflections.GetValueOrDefault(v.CellId)?.RevealedAt is not null)
            .GroupBy(v => v.ItemId)
            .Select(g =>
                (Place: Edition.FindItem(g.Key), Spread: Spread.Of(g.Select(v => v.Position)))
            )
            .Where(x => x.Place is not null && x.Spread.Score > 0)
            .OrderByDescending(x => x.Spread.ViewsDiffer)
            .ThenByDescending(x => x.Spread.Score)
            .Take(10)
            .Select(x => new DivergentItem(
                x.Place!,
                x.Spread,
                $"/reviews/{Review.Id}/reflection/{x.Place!.Section.Id}/{x.Place.Cell.Domain}#item-{x.Place.Item.Id}"
            ))
            .ToList();
    }
}
