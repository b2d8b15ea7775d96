using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>A review page that shows a report: the board report's print view, the one-page summary.</summary>
public abstract class ReportPageModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewReportReader reader
) : ReviewPageModel(db, editions, member)
{
    [FromQuery(Name = "round")]
    public int? RoundNumber { get; set; }

    public ReviewReport Report { get; private set; } = default!;

    protected async Task<bool> LoadReportAsync(Guid id, CancellationToken ct)
    {
        if (
            !await LoadAsync(id, ct: ct)
            || await reader.ReadAsync(id, RoundNumber, ct) is not { } report
        )
        {
            return false;
        }
        Report = report;
        return true;
    }

    /// <summary>The same report's downloads, for the same round.</summary>
    public string Download(string file) =>
        $"/reviews/{Review.Id}/exports/{file}{(RoundNumber is { } n ? $"?round={n}" : "")}";
}
