using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The review's action plan: every action, sortable and filterable through the query string.</summary>
public sealed class ActionsModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    TimeProvider clock
) : ReviewPageModel(db, editions, member)
{
    [FromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [FromQuery(Name = "desc")]
    public bool Descending { get; set; }

    [FromQuery(Name = "status")]
    public List<string> Status { get; set; } = [];

    [FromQuery(Name = "overdue")]
    public string? Overdue { get; set; }

    [FromQuery(Name = "owner")]
    public string? Owner { get; set; }

    [TempData]
    public string? Message { get; set; }

    public List<ActionRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public List<(string Key, string Label)> Owners { get; private set; } = [];
    public bool OnlyOverdue => Overdue == "true";
    public bool Filtered => Statuses.Count > 0 || OnlyOverdue || Owner is not null;

    private List<ActionStatus> Statuses { get; set; } = [];

    public IEnumerable<CheckboxOption> StatusOptions =>
        Enum.GetValues<ActionStatus>()
            .Select(s => new CheckboxOption(s.ToString(), Labels.Of(s), Statuses.Contains(s)));

    public IEnumerable<CheckboxOption> OverdueOptions =>
        [new("true", "Only overdue actions", OnlyOverdue)];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Sort = Sort is "status" or "owner" ? Sort : "due";
        // Only names the page knows: anything else in the query string is ignored, not an error.
        Statuses = Status
            .Select(s =>
                Enum.TryParse<ActionStatus>(s, out var v) && Enum.IsDefined(v)
                    ? v
                    : (ActionStatus?)null
            )
            .OfType<ActionStatus>()
            .Distinct()
            .ToList();
        Status = Statuses.Select(s => s.ToString()).ToList();

        // A review's actions number in the tens: sorting in memory keeps status in its lifecycle order
        // (the column stores names, which would sort alphabetically in SQL).
        var all = await ActionRows.LoadAsync(Db, id, Edition, ActionRows.Today(clock), ct: ct);
        Total = all.Count;
        Owners = all.Select(r => (r.OwnerKey, r.Owner))
            .Distinct()
            .OrderBy(o => o.Owner, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (Owner is not null && Owners.All(o => o.Key != Owner))
        {
            Owner = null;
        }

        IEnumerable<ActionRow> rows = all;
        if (Statuses.Count > 0)
        {
            rows = rows.Where(r => Statuses.Contains(r.Status));
        }
        if (OnlyOverdue)
        {
            rows = rows.Where(r => r.Overdue);
        }
        if (Owner is not null)
        {
            rows = rows.Where(r => r.OwnerKey == Owner);
        }
        var sorted = (Sort, Descending) switch
        {
            ("status", false) => rows.OrderBy(r => r.Status),
            ("status", true) => rows.OrderByDescending(r => r.Status),
            ("owner", false) => rows.OrderBy(r => r.Owner, StringComparer.OrdinalIgnoreCase),
            ("owner", true) => rows.OrderByDescending(
                r => r.Owner,
                StringComparer.OrdinalIgnoreCase
            ),
            // Actions without a due date come last either way.
            (_, false) => rows.OrderBy(r => r.Due is null).ThenBy(r => r.Due),
            (_, true) => rows.OrderBy(r => r.Due is null).ThenByDescending(r => r.Due),
        };
        Rows = sorted
            .ThenBy(r => r.Due is null)
            .ThenBy(r => r.Due)
            .ThenBy(r => r.CreatedAt)
            .ToList();
        return Page();
    }

    public string? AriaSort(string key) =>
        Sort == key ? (Descending ? "descending" : "ascending") : "none";

    /// <summary>The page's address with the current filters, sorted by the given column.</summary>
    public string SortLink(string key)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("sort", key),
            new("desc", Sort == key && !Descending ? "true" : "false"),
        };
        query.AddRange(Status.Select(s => new KeyValuePair<string, string?>("status", s)));
        if (OnlyOverdue)
        {
            query.Add(new("overdue", "true"));
        }
        if (Owner is not null)
        {
            query.Add(new("owner", Owner));
        }
        return QueryHelpers.AddQueryString($"/reviews/{Review.Id}/actions", query);
    }

    public static string Clip(string text, int max = 100)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', max);
        return text[..(cut > max / 2 ? cut : max)].TrimEnd(',', ';', ':') + "…";
    }
}
