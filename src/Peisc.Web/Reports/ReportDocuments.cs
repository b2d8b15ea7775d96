using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>The board report and the one-page summary as Word documents, from one round of a review.</summary>
public static class ReportDocuments
{
    public static byte[] BoardReport(ReviewReport report)
    {
        using var word = new WordWriter(
            $"Ethical review: {report.Review.Title}",
            report.Edition.Language,
            report.GeneratedAt
        );
        var review = report.Review;
        word.Title($"Ethical review: {review.Title}");
        word.Paragraph(
            $"A report on the {report.Edition.ShortTitle} framework review, for the board.",
            italic: true
        );
        word.Field("Innovation", string.Join(" ", ReviewText.Paragraphs(review.Innovation)));
        word.Field("Organisation", report.OrganisationName);
        word.Field("Service area", Labels.Of(review.ServiceArea));
        if (report.Situation is { } situation)
        {
            word.Field("Situation", situation);
        }
        word.Field("Stage", ReportText.StageAndRound(report));
        word.Field("Date", ActionRows.Day(report.GeneratedAt));
        if (!string.IsNullOrWhiteSpace(review.Partners))
        {
            word.Field("Partners", review.Partners);
        }
        word.Field("Participants", ReportText.Participants(report));
        word.Field("Voices heard", ReportText.VoicesHeard(report));

        word.Heading(1, "Executive summary");
        word.Paragraph(ReportText.AtAGlance(report));
        word.Heading(2, "The framework at a glance");
        Grid(word, report);
        word.Heading(2, "The most serious concerns");
        Concerns(word, report.Concerns, report.Concerns.Count);
        word.Heading(2, "Open actions");
        OpenActions(word, report, int.MaxValue);

        word.Heading(1, "The framework, cell by cell");
        foreach (var cell in report.Grid)
        {
            word.Heading(2, report.Edition.CellLabel(cell.Section, cell.Cell));
            word.Paragraph(cell.Cell.Question, bold: true);
            word.Paragraph(
                ReportText.GridCell(cell).Replace("\n", "; ", StringComparison.Ordinal),
                italic: true
            );
            foreach (var item in cell.Items)
            {
                word.Heading(3, item.Place.Item.Text);
                word.Field("Position", Labels.Of(item.Position));
                foreach (var voice in report.LivedExperienceOn(item.Place.Item))
                {
                    word.LongField($"Lived experience, {voice.Who}", voice.Text);
                }
                if (item.Answer is not { } answer)
                {
                    continue;
                }
                if (answer.Position == Position.NotApplicable)
                {
                    word.Field("Why not applicable", answer.NotApplicableReason ?? "None recorded");
                }
                word.LongField("Reasoning", answer.Reasoning);
                word.LongField("Evidence", answer.Evidence);
                word.LongField("Dissent or minority view", answer.Dissent);
                word.Field(
                    "Voices heard",
                    ReviewSheets.VoicesText(answer.Voices) is { Length: > 0 } v
                        ? v
                        : "None recorded"
                );
                word.Paragraph(
                    $"Item {item.Place.Item.Id}. Last changed by {answer.UpdatedByName ?? "a former member"}, {ActionRows.Time(answer.UpdatedAt)}.",
                    italic: true
                );
            }
        }

        word.Heading(1, "Action plan");
        if (report.Actions.Count == 0)
        {
            word.Paragraph("The team has not raised any actions.");
        }
        else
        {
            word.Table(
                ["Action", "Owner", "Due", "Status", "Items"],
                report.Actions.Select(a =>
                    (IReadOnlyList<string>)
                        [
                            a.Title,
                            a.Owner,
                            ReportText.Due(a),
                            Labels.Of(a.Status),
                            ReportText.ActionItems(a),
                        ]
                ),
                [5, 3, 3, 2, 4]
            );
        }

        Changes(word, report);

        word.Heading(1, "Appendix: the framework");
        word.Field(
            "Edition",
            $"{report.Edition.Title}, version {report.Edition.Version} ({report.Edition.Id})"
        );
        word.Paragraph(report.Edition.Source.Attribution);
        word.Paragraph(ReportText.Citation(report.Edition));
        word.Paragraph(
            $"This report was made by PEISC on {ActionRows.Time(report.GeneratedAt)} from round {report.Round.Number} of the review."
        );
        return word.ToBytes();
    }

    public static byte[] Summary(ReviewReport report)
    {
        using var word = new WordWriter(
            $"Summary: {report.Review.Title}",
            report.Edition.Language,
            report.GeneratedAt
        );
        word.Title($"Summary: {report.Review.Title}");
        word.Paragraph(
            $"{report.OrganisationName}. {StageLine(report)}. {ActionRows.Day(report.GeneratedAt)}."
        );
        word.Paragraph(ReportText.AtAGlance(report));
        word.Heading(1, "Where the review stands");
        Grid(word, report);
        word.Heading(1, "The three most serious concerns");
        Concerns(word, report.Concerns, ReportText.SummaryConcerns, shorten: true);
        word.Heading(1, "What happens next");
        OpenActions(word, report, ReportText.SummaryActions);
        word.Paragraph(report.Edition.Source.Attribution, italic: true);
        return word.ToBytes();
    }

    private static string StageLine(ReviewReport report) =>
        $"Stage: {ReportText.StageAndRound(report)}";

    private static void Grid(WordWriter word, ReviewReport report)
    {
        var domains = report.Edition.Domains;
        word.Table(
            ["Section", .. domains.Select(d => d.Title)],
            report.Edition.Sections.Select(section =>
                (IReadOnlyList<string>)
                    [
                        section.ShortTitle,
                        .. domains.Select(d =>
                            report.Grid.FirstOrDefault(g =>
                                g.Section.Id == section.Id && g.Domain.Id == d.Id
                            )
                                is { } cell
                                ? ReportText.GridCell(cell)
                                : "Not part of this edition"
                        ),
                    ]
            ),
            [2, .. domains.Select(_ => 3)],
            firstColumnIsHeader: true
        );
    }

    private static void Concerns(
        WordWriter word,
        IReadOnlyList<ReportConcern> concerns,
        int take,
        bool shorten = false
    )
    {
        if (concerns.Count == 0)
        {
            word.Paragraph("The team has not recorded a concern in this round.");
            return;
        }
        foreach (var (concern, i) in concerns.Take(take).Select((c, i) => (c, i)))
        {
            word.Heading(shorten ? 2 : 3, $"{i + 1}. {ReportText.ConcernTitle(concern)}");
            var reasoning = concern.Item.Answer?.Reasoning;
            word.Paragraph(
                string.IsNullOrWhiteSpace(reasoning) ? "No reasoning recorded."
                : shorten ? ReportText.Shorten(reasoning)
                : string.Join(" ", ReviewText.Paragraphs(reasoning))
            );
            if (!shorten && !string.IsNullOrWhiteSpace(concern.Item.Answer?.Dissent))
            {
                word.Field(
                    "Dissent or minority view",
                    string.Join(" ", ReviewText.Paragraphs(concern.Item.Answer!.Dissent))
                );
            }
            word.Field("Actions", ReportText.ConcernState(concern));
        }
        if (concerns.Count > take)
        {
            word.Paragraph(
                $"{ReportText.Plural(concerns.Count - take, "more concern is", "more concerns are")} in the full board report."
            );
        }
    }

    private static void OpenActions(WordWriter word, ReviewReport report, int take)
    {
        var open = report.OpenActions.ToList();
        if (open.Count == 0)
        {
            word.Paragraph("No actions are open.");
            return;
        }
        word.Table(
            ["Action", "Owner", "Due", "Status"],
            open.Take(take)
                .Select(a =>
                    (IReadOnlyList<string>)
                        [a.Title, a.Owner, ReportText.Due(a), Labels.Of(a.Status)]
                ),
            [6, 3, 3, 2]
        );
        if (open.Count > take)
        {
            word.Paragraph(
                $"{ReportText.Plural(open.Count - take, "more open action is", "more open actions are")} in the action plan."
            );
        }
    }

    private static void Changes(WordWriter word, ReviewReport report)
    {
        if (report.Previous is not { } previous)
        {
            word.Heading(1, "What changed since the previous round");
            word.Paragraph(
                "This is the review's first round: there is nothing earlier to compare with."
            );
            return;
        }
        word.Heading(1, $"What changed since round {previous.Number}");
        var changes = report.Changes;
        word.Paragraph(
            $"Round {previous.Number} was at the {report.StageName(previous.StageId)} stage; round {report.Round.Number} is at the {report.Stage} stage. "
                + $"{ReportText.Plural(changes.Count, "item changed", "items changed")} its position or reasoning."
        );
        if (changes.Count > 0)
        {
            word.Table(
                ["Item", $"Round {previous.Number}", $"Round {report.Round.Number}"],
                changes.Select(c =>
                    (IReadOnlyList<string>)
                        [$"{c.Place.CellLabel}: {c.Place.Item.Text}", Side(c.Before), Side(c.After)]
                ),
                [4, 3, 3]
            );
        }
        var opened = report.OpenedThisRound.ToList();
        var closed = report.ClosedThisRound.ToList();
        word.Heading(2, "Actions opened and closed in this round");
        if (opened.Count == 0 && closed.Count == 0)
        {
            word.Paragraph("No actions were opened or closed in this round.");
        }
        word.Bullets(opened.Select(a => $"Opened: {a.Title} ({a.Owner}, due {ReportText.Due(a)})"));
        word.Bullets(closed.Select(a => $"{Labels.Of(a.Status)}: {a.Title} ({a.Owner})"));
    }

    private static string Side(ReportItem item) =>
        Labels.Of(item.Position)
        + (
            string.IsNullOrWhiteSpace(item.Answer?.Reasoning)
                ? ""
                : "\n" + ReportText.Shorten(item.Answer!.Reasoning, 400)
        );
}
