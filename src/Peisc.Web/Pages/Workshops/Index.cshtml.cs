using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;
using Peisc.Web.Workshops;

namespace Peisc.Web.Pages.Workshops;

public sealed class IndexModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    WorkshopService workshops
) : ReviewPageModel(db, editions, member)
{
    public const string AllItems = "all";

    public IReadOnlyList<WorkshopSession> Sessions { get; private set; } = [];

    [BindProperty]
    public string? Scope { get; set; }

    public IReadOnlyList<RadioOption> ScopeOptions =>
        [
            new(
                AllItems,
                $"Every item of the review, in order ({Edition.AllCells.Sum(c => c.Items.Count)} items)"
            ),
            .. Edition.Sections.SelectMany(s =>
                s.Cells.Select(c => new RadioOption(
                    c.Id,
                    $"{s.Title}: {Edition.FindDomain(c.Domain)?.Title ?? c.Domain} ({c.Items.Count} items)"
                ))
            ),
        ];

    public bool CanStart => CanFacilitate && Review.ArchivedAt is null;

    public bool IsActive(WorkshopSession session) => workshops.IsActive(session);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Scope ??= AllItems;
        await ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanStart)
        {
            return Denied();
        }
        List<string>? items =
            Scope == AllItems ? Edition.AllCells.SelectMany(c => c.Items).Select(i => i.Id).ToList()
            : Edition.AllCells.FirstOrDefault(c => c.Id == Scope) is { } cell
                ? cell.Items.Select(i => i.Id).ToList()
            : null;
        if (items is null || items.Count == 0)
        {
            ModelState.AddModelError(nameof(Scope), "Select the items to go through");
            await ListAsync(ct);
            return Page();
        }
        var title =
            Scope == AllItems ? "Whole review" : ScopeOptions.Single(o => o.Value == Scope).Label;
        var session = await workshops.StartAsync(Review, title, items, ct);
        return Redirect($"/workshops/{session.Id}");
    }

    private async Task ListAsync(CancellationToken ct) =>
        Sessions = await Db
            .WorkshopSessions.AsNoTracking()
            .Where(s => s.ReviewId == Review.Id)
            .OrderByDescending(s => s.StartedAt)
            .Take(50)
            .ToListAsync(ct);
}
