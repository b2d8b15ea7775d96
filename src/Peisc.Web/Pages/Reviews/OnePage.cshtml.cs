using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reports;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The one-page summary for councillors and boards: the grid, the three most serious concerns, what happens next.</summary>
public sealed class OnePageModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewReportReader reader
) : ReportPageModel(db, editions, member, reader)
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadReportAsync(id, ct) ? Page() : NotFound();
}
