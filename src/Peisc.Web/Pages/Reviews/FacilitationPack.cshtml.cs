using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reports;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The facilitation pack as a page to print: question cards and a worksheet for one situation and stage.</summary>
public sealed class FacilitationPackModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member
) : ReviewPageModel(db, editions, member)
{
    [FromQuery(Name = "situation")]
    public string? Situation { get; set; }

    [FromQuery(Name = "stage")]
    public string? Stage { get; set; }

    public FacilitationPack Pack { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Pack = FacilitationPack.For(Review, Edition, Situation, Stage);
        return Page();
    }
}
