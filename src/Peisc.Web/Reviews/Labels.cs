using Peisc.Web.Data;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Reviews;

/// <summary>How the review's choices read on a page. Stored values never change; these words may.</summary>
public static class Labels
{
    public static string Of(Position position) =>
        position switch
        {
            Position.NotYetConsidered => "Not yet considered",
            Position.Addressed => "Addressed",
            Position.PartlyAddressed => "Partly addressed",
            Position.Concern => "Concern",
            Position.NotApplicable => "Not applicable",
            _ => position.ToString(),
        };

    /// <summary>The GOV.UK tag colour for a position. Colour is never the only signal: the tag always has its words.</summary>
    public static string TagClass(Position position) =>
        position switch
        {
            Position.Addressed => "govuk-tag--green",
            Position.PartlyAddressed => "govuk-tag--yellow",
            Position.Concern => "govuk-tag--red",
            Position.NotApplicable => "govuk-tag--grey",
            _ => "govuk-tag--blue",
        };

    public static string Of(ServiceArea area) =>
        area switch
        {
            ServiceArea.Children => "Children's services",
            ServiceArea.Adults => "Adults' services",
            ServiceArea.AllAge => "All-age services",
            _ => "Other",
        };

    public static string Of(ActionStatus status) =>
        status switch
        {
            ActionStatus.InProgress => "In progress",
            _ => status.ToString(),
        };

    public static readonly IReadOnlyList<(Voices Voice, string Label)> VoiceLabels =
    [
        (Voices.ChildrenAndYoungPeople, "Children and young people"),
        (Voices.Families, "Families"),
        (Voices.AdultsWhoUseServices, "Adults who use services"),
        (Voices.Carers, "Carers"),
        (Voices.Practitioners, "Practitioners"),
        (Voices.Partners, "Partners"),
    ];

    public static string Of(Voices voices) =>
        voices == Voices.None
            ? "None yet"
            : string.Join(
                ", ",
                VoiceLabels.Where(v => voices.HasFlag(v.Voice)).Select(v => v.Label)
            );

    public static IReadOnlyList<RadioOption> Positions { get; } =
        Enum.GetValues<Position>().Select(p => new RadioOption(p.ToString(), Of(p))).ToList();

    public static IReadOnlyList<RadioOption> ServiceAreas { get; } =
        Enum.GetValues<ServiceArea>().Select(a => new RadioOption(a.ToString(), Of(a))).ToList();

    public static IReadOnlyList<RadioOption> ActionStatuses { get; } =
        Enum.GetValues<ActionStatus>().Select(s => new RadioOption(s.ToString(), Of(s))).ToList();
}
