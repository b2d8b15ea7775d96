using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

public sealed class OverviewModel(AppDbContext db, EditionResolver editions, CurrentMember member)
    : ReviewPageModel(db, editions, member)
{
    public sealed record CellCounts(int Considered, int Concerns, int Untouched);

    private Dictionary<string, Position> _positions = [];

    [FromQuery(Name = "view")]
    public string View { get; set; } = "grid";

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        View = View is "section" or "domain" or "stage" ? View : "grid";
        _positions = await Db
            .Answers.AsNoTracking()
            .Where(a => a.RoundId == Review.CurrentRoundId)
            .Select(a => new { a.ItemId, a.Position })
            .ToDictionaryAsync(a => a.ItemId, a => a.Position, ct);
        return Page();
    }

    public Position PositionOf(string itemId) =>
        _positions.GetValueOrDefault(itemId, Position.NotYetConsidered);

    public CellCounts CountsFor(Cell cell)
    {
        var positions = cell.Items.Select(i => PositionOf(i.Id)).ToList();
        var considered = positions.Count(p => p != Position.NotYetConsidered);
        return new CellCounts(
            considered,
            positions.Count(p => p == Position.Concern),
            positions.Count - considered
        );
    }

    public string CountsText(Cell cell)
    {
        var c = CountsFor(cell);
        return $"{c.Considered} of {cell.Items.Count} considered, {c.Concerns} {(c.Concerns == 1 ? "concern" : "concerns")}, {c.Untouched} untouched";
    }

    public string CellHref(Cell cell) => $"/reviews/{Review.Id}/cells/{cell.Id.Replace('.', '/')}";
}
