using Peisc.Web.Data;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Organisation;

public static class MemberRoles
{
    public static readonly IReadOnlyList<RadioOption> Options =
    [
        new(
            nameof(MemberRole.Owner),
            "Owner",
            "Manages members, settings and framework editions, and can do everything else."
        ),
        new(
            nameof(MemberRole.Facilitator),
            "Facilitator",
            "Starts reviews and rounds and runs the team's discussion."
        ),
        new(
            nameof(MemberRole.Contributor),
            "Contributor",
            "Records positions, reasoning and actions in reviews."
        ),
        new(nameof(MemberRole.Viewer), "Viewer", "Reads reviews and reports."),
    ];
}
