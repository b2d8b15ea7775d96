using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>
/// Blank question cards and a worksheet for a workshop away from a screen, for one situation and
/// one stage (or every stage). The stage narrows the cell that asks about stages to that stage's
/// item; the situation heads the pack, so the room knows the question it is there to answer.
/// </summary>
public sealed record FacilitationPack(
    Review Review,
    FrameworkEdition Edition,
    Situation? Situation,
    Stage? Stage,
    IReadOnlyList<(Section Section, Cell Cell, IReadOnlyList<Item> Items)> Cards
)
{
    public const string AllStages = "all";

    /// <summary>Unknown ids fall back to the review's own situation and current stage.</summary>
    public static FacilitationPack For(
        Review review,
        FrameworkEdition edition,
        string? situationId,
        string? stageId
    )
    {
        var situation =
            edition.Situations.FirstOrDefault(s => s.Id == situationId)
            ?? edition.Situations.FirstOrDefault(s => s.Id == review.SituationId);
        var stage =
            stageId == AllStages
                ? null
                : edition.Stages.FirstOrDefault(s => s.Id == stageId)
                    ?? edition.Stages.FirstOrDefault(s => s.Id == review.CurrentStageId);
        var cards = edition
            .Sections.SelectMany(section =>
                section.Cells.Select(cell =>
                    (
                        section,
                        cell,
                        (IReadOnlyList<Item>)
                            cell
                                .Items.Where(i =>
                                    stage is null || i.Stage is null || i.Stage == stage.Id
                                )
                                .ToList()
                    )
                )
            )
            .ToList();
        return new FacilitationPack(review, edition, situation, stage, cards);
    }

    public string StageText => Stage is null ? "Every stage" : $"{Stage.Name}: {Stage.Description}";

    public string Query =>
        $"?situation={Uri.EscapeDataString(Situation?.Id ?? "")}&stage={Uri.EscapeDataString(Stage?.Id ?? AllStages)}";

    public byte[] ToWord(DateTime createdUtc)
    {
        using var word = new WordWriter(
            $"Facilitation pack: {Review.Title}",
            Edition.Language,
            createdUtc
        );
        word.Title($"Facilitation pack: {Review.Title}");
        word.Paragraph(
            $"Question cards and a worksheet from the {Edition.ShortTitle} framework, for a workshop away from a screen. "
                + "Each question shows its identifier, so notes taken on paper can be entered against the right question later."
        );
        if (Situation is not null)
        {
            word.Field("Situation", Situation.Text);
        }
        word.Field("Stage", StageText);

        word.Heading(1, "Question cards");
        foreach (var (section, cell, items) in Cards)
        {
            word.Heading(2, Edition.CellLabel(section, cell));
            word.Paragraph(cell.Question, bold: true);
            word.Paragraph(cell.ItemsIntro);
            word.Bullets(items.Select(i => $"{i.Text} ({i.Id})"));
            word.Paragraph("Notes", bold: true);
            word.Table(
                ["Where we stand, our reasoning and evidence, whose voices we heard"],
                [
                    [" \n \n \n \n \n "],
                ]
            );
            word.PageBreak();
        }

        word.Heading(1, "Worksheet");
        word.Paragraph(
            "For each item: where the team stands (addressed, partly addressed, concern, not applicable), why, "
                + "the evidence, whose voices were heard, and any dissent."
        );
        foreach (var (section, cell, items) in Cards)
        {
            word.Heading(2, Edition.CellLabel(section, cell));
            word.Table(
                ["Item", "Where we stand", "Reasoning and evidence", "Voices heard and dissent"],
                items.Select(i => (IReadOnlyList<string>)[$"{i.Text} ({i.Id})", "", "", ""]),
                [5, 2, 4, 3]
            );
        }
        word.Paragraph(Edition.Source.Attribution, italic: true);
        return word.ToBytes();
    }
}
