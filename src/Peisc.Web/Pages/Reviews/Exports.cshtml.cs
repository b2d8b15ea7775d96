using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reports;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>Every download of a review in one place: the papers for a board, the spreadsheets, the workshop pack.</summary>
public sealed class ExportsModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    PdfConverter pdf
) : ReviewPageModel(db, editions, member)
{
    // Without LibreOffice the page offers no PDF link that would fail, and says how to enable it.
    public bool PdfAvailable { get; } = pdf.IsAvailable;

    public List<Round> Rounds { get; private set; } = [];

    public string Root => $"/reviews/{Review.Id}/exports";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Rounds = await Db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == id)
            .OrderByDescending(r => r.Number)
            .ToListAsync(ct);
        return Page();
    }
}
