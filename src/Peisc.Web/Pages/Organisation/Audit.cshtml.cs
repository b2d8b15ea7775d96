using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reports;

namespace Peisc.Web.Pages.Organisation;

[Authorize(Policy = Policies.Owner)]
public sealed class AuditModel(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    private const int PageSize = 50;

    public List<AuditEvent> Events { get; private set; } = [];
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }
    public string? OrganisationName => member.OrganisationName;

    public async Task OnGetAsync([FromQuery(Name = "page")] int page = 1)
    {
        PageNumber = Math.Clamp(page, 1, 100_000);
        // The tenant filter on AuditEvents limits this to the signed-in organisation's own trail.
        var rows = await db
            .AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize + 1)
            .ToListAsync();
        HasMore = rows.Count > PageSize;
        Events = rows.Take(PageSize).ToList();
    }

    // trust.md R1: owners take their own trail away as CSV; the download itself is recorded first,
    // so the file ends with it. The tenant filter keeps every other organisation's rows out.
    public async Task<IActionResult> OnPostExportAsync(CancellationToken ct)
    {
        await audit.WriteAsync(
            AuditActions.AuditExported,
            nameof(Data.Organisation),
            member.OrganisationId?.ToString(),
            "Audit trail downloaded as CSV"
        );
        var rows = db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable();
        var day = clock
            .GetUtcNow()
            .UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Response.ContentType = Spreadsheet.CsvType;
        Response.Headers.ContentDisposition =
            $"attachment; filename=\"peisc-audit-trail-{day}.csv\"";
        await Spreadsheet.WriteCsvAsync(Response.Body, Columns, rows, ct);
        return new EmptyResult();
    }

    public static string Who(AuditEvent e) =>
        e.ActorName ?? (e.Redacted ? Accounts.PersonalData.FormerMember : "");

    private static readonly IReadOnlyList<SheetColumn<AuditEvent>> Columns =
    [
        new(
            "When (UTC)",
            e =>
                e.OccurredAt.ToString(
                    "yyyy-MM-dd HH:mm:ss",
                    System.Globalization.CultureInfo.InvariantCulture
                )
        ),
        new("Who", Who),
        new("Action", e => e.Action),
        new("Entity type", e => e.EntityType),
        new("Entity id", e => e.EntityId),
        new("Details", e => e.Detail),
        new("Correlation id", e => e.CorrelationId),
        new("Sequence", e => e.Sequence),
        new("Hash", e => e.Hash),
    ];
}
