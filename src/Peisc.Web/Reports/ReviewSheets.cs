using System.Globalization;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>The columns of the answers, actions and portfolio spreadsheets: one row per item, action or review.</summary>
public static class ReviewSheets
{
    public static string Date(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Time(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string VoicesText(Voices voices) =>
        voices == Voices.None ? "" : Labels.Of(voices);

    public static IReadOnlyList<SheetColumn<ReportItem>> AnswerColumns(ReviewReport report) =>
        [
            new("Item id", i => i.Place.Item.Id),
            new("Section", i => i.Place.Section.Title),
            new(
                "Domain",
                i => report.Edition.FindDomain(i.Place.Cell.Domain)?.Title ?? i.Place.Cell.Domain
            ),
            new("Headline question", i => i.Place.Cell.Question),
            new("Item", i => i.Place.Item.Text),
            new("Position", i => Labels.Of(i.Position)),
            new("Reason not applicable", i => i.Answer?.NotApplicableReason ?? ""),
            new("Reasoning", i => i.Answer?.Reasoning ?? ""),
            new("Evidence", i => i.Answer?.Evidence ?? ""),
            new("Voices heard", i => VoicesText(i.Answer?.Voices ?? Voices.None)),
            new("Dissent or minority view", i => i.Answer?.Dissent ?? ""),
            new("Last changed by", i => i.Answer?.UpdatedByName ?? ""),
            new("Last changed (UTC)", i => Time(i.Answer?.UpdatedAt)),
            new("Round", _ => report.Round.Number),
            new("Stage", _ => report.Stage),
        ];

    public static IReadOnlyList<SheetColumn<ActionRow>> ActionColumns { get; } =
    [
        new("Action id", a => a.Id.ToString()),
        new("Action", a => a.Title),
        new("Status", a => Labels.Of(a.Status)),
        new("Owner", a => a.Owner),
        new("Due", a => Date(a.Due)),
        new("Overdue", a => a.Overdue ? "Yes" : "No"),
        new("Item ids", a => string.Join(' ', a.Items.Select(p => p.Item.Id))),
        new("Items", a => string.Join("\n", a.Items.Select(p => $"{p.CellLabel}: {p.Item.Text}"))),
        new("Opened in round", a => a.OpenedInRound),
        new("Closed in round", a => a.ClosedInRound),
        new("Raised (UTC)", a => Time(a.CreatedAt)),
    ];

    public sealed record PortfolioRow(
        Guid Id,
        string Title,
        ServiceArea ServiceArea,
        string EditionId,
        string StageId,
        int Round,
        int ItemCount,
        int ConsideredCount,
        int ConcernCount,
        DateTime UpdatedAt,
        DateTime? ArchivedAt
    );

    public sealed record ActionCounts(int Open, int Overdue);

    public static IReadOnlyList<SheetColumn<PortfolioRow>> PortfolioColumns(
        Func<string, string, string> stageName,
        IReadOnlyDictionary<Guid, ActionCounts> actions
    ) =>
        [
            new("Review id", r => r.Id.ToString()),
            new("Title", r => r.Title),
            new("Service area", r => Labels.Of(r.ServiceArea)),
            new("Stage", r => stageName(r.EditionId, r.StageId)),
            new("Round", r => r.Round),
            new("Items considered", r => r.ConsideredCount),
            new("Items", r => r.ItemCount),
            new("Concerns", r => r.ConcernCount),
            new("Open actions", r => actions.GetValueOrDefault(r.Id)?.Open ?? 0),
            new("Overdue actions", r => actions.GetValueOrDefault(r.Id)?.Overdue ?? 0),
            new("Archived", r => r.ArchivedAt is null ? "No" : "Yes"),
            new("Last changed (UTC)", r => Time(r.UpdatedAt)),
        ];
}
