using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>The concerns a page lists: how many, shortened or in full, under which heading level.</summary>
public sealed record ConcernList(
    IReadOnlyList<ReportConcern> Concerns,
    int Take,
    bool Shorten,
    string HeadingTag
);

/// <summary>Sentences and labels that the Word documents and their HTML pages share, so both say the same.</summary>
public static class ReportText
{
    public const int SummaryConcerns = 3;
    public const int SummaryActions = 8;

    public static string Plural(int count, string one, string many) =>
        count == 1 ? $"1 {one}" : $"{count} {many}";

    public static string GridCell(GridCell cell) =>
        $"{cell.Considered} of {cell.Items.Count} considered"
        + (
            cell.Count(Position.Concern) > 0
                ? $"\n{Plural(cell.Count(Position.Concern), "concern", "concerns")}"
                : ""
        )
        + (
            cell.Count(Position.PartlyAddressed) > 0
                ? $"\n{cell.Count(Position.PartlyAddressed)} partly addressed"
                : ""
        );

    public static string StageAndRound(ReviewReport report) =>
        $"{report.Stage}, round {report.Round.Number}{(report.IsCurrentRound ? "" : " (an earlier round)")}";

    public static string Participants(ReviewReport report) =>
        report.Participants.Count == 0
            ? "No one has recorded an answer yet"
            : string.Join(", ", report.Participants);

    public static string VoicesHeard(ReviewReport report) =>
        report.VoicesHeard == Voices.None ? "None recorded" : Labels.Of(report.VoicesHeard);

    public static string AtAGlance(ReviewReport report)
    {
        var open = report.OpenActions.ToList();
        return $"The team has considered {report.Considered} of {report.Items.Count} items in this round "
            + $"and recorded {Plural(report.Concerns.Count, "concern", "concerns")}. "
            + $"{Plural(open.Count, "action is", "actions are")} open, {open.Count(a => a.Overdue)} of them overdue.";
    }

    public static string ConcernTitle(ReportConcern concern) =>
        $"{concern.Item.Place.CellLabel}: {concern.Item.Place.Item.Text}";

    public static string ConcernState(ReportConcern concern) =>
        concern.OpenActions == 0 ? "No open action"
        : concern.OverdueActions > 0
            ? $"{Plural(concern.OpenActions, "open action", "open actions")}, {concern.OverdueActions} overdue"
        : Plural(concern.OpenActions, "open action", "open actions");

    public static string Due(ActionRow action) =>
        action.Due is { } due
            ? ActionRows.Day(due) + (action.Overdue ? " (overdue)" : "")
            : "No date";

    public static string ActionItems(ActionRow action) =>
        action.Items.Count == 0 ? "" : string.Join("\n", action.Items.Select(p => p.Item.Id));

    /// <summary>Cut to a length that fits a one-page summary, at a word, with an ellipsis.</summary>
    public static string Shorten(string? text, int max = 280)
    {
        var flat = string.Join(' ', ReviewText.Paragraphs(text));
        if (flat.Length <= max)
        {
            return flat;
        }
        var cut = flat.LastIndexOf(' ', max);
        return flat[..(cut > max / 2 ? cut : max)] + "…";
    }

    public static string Citation(Framework.FrameworkEdition edition)
    {
        var a = edition.Source.Article;
        var authors =
            a.Authors.Count == 1
                ? a.Authors[0]
                : string.Join(", ", a.Authors.Take(a.Authors.Count - 1)) + " and " + a.Authors[^1];
        return $"{authors} ({a.Year}), {a.Title}, {a.Journal}. {edition.Source.Organisation}, {edition.Source.Institution}. {a.Url}";
    }
}
