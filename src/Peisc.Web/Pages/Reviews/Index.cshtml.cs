using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Reviews;

public sealed class IndexModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    TimeProvider clock
) : PageModel
{
    public const int PageSize = 25;

    public sealed record Row(
        Guid Id,
        string Title,
        string StageId,
        int Round,
        int Considered,
        int ItemCount,
        int Concerns,
        int Overdue,
        DateTime UpdatedAt,
        bool Archived
    );

    [FromQuery(Name = "q")]
    public string? Query { get; set; }

    [FromQuery(Name = "stage")]
    public string? Stage { get; set; }

    [FromQuery(Name = "area")]
    public ServiceArea? Area { get; set; }

    [FromQuery(Name = "status")]
    public string Status { get; set; } = "active";

    [FromQuery(Name = "concerns")]
    public bool WithConcerns { get; set; }

    [FromQuery(Name = "sort")]
    public string Sort { get; set; } = "updated";

    [FromQuery(Name = "desc")]
    public bool? Desc { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [TempData]
    public string? Message { get; set; }

    public bool Descending => Desc ?? Sort is "updated" or "concerns" or "progress";
    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public IReadOnlyList<Stage> Stages => catalog.Default.Stages;
    public bool CanCreate => member.Has(MemberRole.Facilitator);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (member.OrganisationId is null)
        {
            return NotFound();
        }
        Query = Query?.Trim() is { Length: > 0 and <= 200 } q ? q : null;
        var reviews = db.Reviews.AsNoTracking();
        reviews = Status switch
        {
            "archived" => reviews.Where(r => r.ArchivedAt != null),
            "all" => reviews,
            _ => reviews.Where(r => r.ArchivedAt == null),
        };
        if (Query is not null)
        {
            var pattern =
                "%"
                + Query
                    .Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal)
                    .Replace("_", "\\_", StringComparison.Ordinal)
                + "%";
            reviews = db.Database.IsNpgsql()
                ? reviews.Where(r => EF.Functions.ILike(r.Title, pattern, "\\"))
                : reviews.Where(r => EF.Functions.Like(r.Title, pattern, "\\"));
        }
        if (!string.IsNullOrEmpty(Stage))
        {
            reviews = reviews.Where(r => r.CurrentStageId == Stage);
        }
        if (Area is { } area)
        {
            reviews = reviews.Where(r => r.ServiceArea == area);
        }
        if (WithConcerns)
        {
            reviews = reviews.Where(r => r.ConcernCount > 0);
        }

        Total = await reviews.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        reviews = (Sort, Descending) switch
        {
            ("title", false) => reviews.OrderBy(r => r.Title).ThenBy(r => r.Id),
            ("title", true) => reviews.OrderByDescending(r => r.Title).ThenBy(r => r.Id),
            ("stage", false) => reviews.OrderBy(r => r.CurrentStageId).ThenBy(r => r.Title),
            ("stage", true) => reviews
                .OrderByDescending(r => r.CurrentStageId)
                .ThenBy(r => r.Title),
            ("concerns", false) => reviews.OrderBy(r => r.ConcernCount).ThenBy(r => r.Title),
            ("concerns", true) => reviews
                .OrderByDescending(r => r.ConcernCount)
                .ThenBy(r => r.Title),
            ("progress", false) => reviews.OrderBy(r => r.ConsideredCount).ThenBy(r => r.Title),
            ("progress", true) => reviews
                .OrderByDescending(r => r.ConsideredCount)
                .ThenBy(r => r.Title),
            (_, false) => reviews.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id),
            _ => reviews.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Id),
        };
        if (Sort is not ("title" or "stage" or "concerns" or "progress"))
        {
            Sort = "updated";
        }

        var today = clock.GetUtcNow().UtcDateTime.Date;
        Rows = await reviews
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .Select(r => new Row(
                r.Id,
                r.Title,
                r.CurrentStageId,
                r.CurrentRoundNumber,
                r.ConsideredCount,
                r.ItemCount,
                r.ConcernCount,
                db.Actions.Count(a =>
                    a.ReviewId == r.Id
                    && (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress)
                    && a.DueDate < today
                ),
                r.UpdatedAt,
                r.ArchivedAt != null
            ))
            .ToListAsync(ct);
        return Page();
    }

    public string StageName(string stageId) =>
        catalog.Default.Stages.FirstOrDefault(s => s.Id == stageId)?.Name ?? stageId;

    public string? AriaSort(string key) =>
        Sort == key ? (Descending ? "descending" : "ascending") : null;

    public string LinkTo(string? sort = null, bool? descending = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Query,
            ["stage"] = string.IsNullOrEmpty(Stage) ? null : Stage,
            ["area"] = Area?.ToString(),
            ["status"] = Status == "active" ? null : Status,
            ["concerns"] = WithConcerns ? "true" : null,
            ["sort"] = sort ?? Sort,
            ["desc"] = (descending ?? Descending) ? "true" : "false",
            ["page"] = (page ?? PageNumber).ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
        };
        return QueryHelpers.AddQueryString(
            "/reviews",
            query.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value)
        );
    }

    /// <summary>GOV.UK pagination: first, last, and the pages around the current one; null is a gap.</summary>
    public IEnumerable<int?> PageLinks()
    {
        int? previous = null;
        foreach (
            var p in Enumerable
                .Range(1, Pages)
                .Where(p => p == 1 || p == Pages || Math.Abs(p - PageNumber) <= 1)
        )
        {
            if (previous is { } last && p - last > 1)
            {
                yield return null;
            }
            yield return p;
            previous = p;
        }
    }
}
