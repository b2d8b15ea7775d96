using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reports;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The board report as a web page that prints as a clean document ("Save as PDF" in any browser).</summary>
public sealed class ReportModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewReportReader reader
) : ReportPageModel(db, editions, member, reader)
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadReportAsync(id, ct) ? Page() : NotFound();
}
