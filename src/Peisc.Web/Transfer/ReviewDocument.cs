using System.Text.Json;
using System.Text.Json.Serialization;
using Peisc.Web.Data;

namespace Peisc.Web.Transfer;

// The review file, as documented in docs/review-transfer.md and checked by review-transfer.schema.json.
// Ids in the file are those of the exporting installation: an import never uses them.

public sealed record ReviewDocument(
    string Schema,
    int SchemaVersion,
    DateTime ExportedAt,
    SourcePart Source,
    FrameworkPart Framework,
    ReviewPart Review,
    List<RoundPart> Rounds,
    List<ActionPart> Actions,
    List<DiscussionPart> Discussions,
    // Lived-experience invitations and what people said through them: optional, added in 1.x.
    List<InvitationPart>? Invitations = null,
    List<ContributionPart>? Contributions = null
)
{
    public const string SchemaName = "peisc-review";
    public const int CurrentVersion = 1;
}

public sealed record SourcePart(string Installation, string Organisation);

public sealed record FrameworkPart(string Id, string Version, string Title);

/// <summary>Someone named in the review: an email only for members of the exporting organisation.</summary>
public sealed record PersonPart(string Name, string? Email = null);

public sealed record ReviewPart(
    Guid Id,
    string Title,
    string Innovation,
    ServiceArea ServiceArea,
    string SituationId,
    string? Partners,
    DateTime CreatedAt,
    PersonPart CreatedBy,
    DateTime UpdatedAt,
    DateTime? ArchivedAt
);

public sealed record RoundPart(
    Guid Id,
    int Number,
    string StageId,
    DateTime StartedAt,
    PersonPart StartedBy,
    DateTime? FrozenAt,
    List<AnswerPart> Answers,
    List<ReflectionPart> Reflections,
    List<IndividualViewPart> IndividualViews
);

public sealed record AnswerPart(
    Guid Id,
    string ItemId,
    Position Position,
    string? NotApplicableReason,
    string? Reasoning,
    string? Evidence,
    List<Voices> Voices,
    string? Dissent,
    int Version,
    DateTime UpdatedAt,
    PersonPart UpdatedBy,
    List<AnswerChangePart> History
);

public sealed record AnswerChangePart(
    int Version,
    Position Position,
    string? NotApplicableReason,
    string? Reasoning,
    string? Evidence,
    List<Voices> Voices,
    string? Dissent,
    DateTime ChangedAt,
    PersonPart ChangedBy
);

public sealed record ReflectionPart(
    string CellId,
    DateTime OpenedAt,
    PersonPart OpenedBy,
    DateTime? RevealedAt,
    PersonPart? RevealedBy
);

public sealed record IndividualViewPart(
    string ItemId,
    PersonPart Person,
    Position Position,
    string? Reasoning,
    string? MinorityView,
    bool MinorityViewNamed,
    DateTime UpdatedAt
);

public sealed record ActionPart(
    Guid Id,
    string Title,
    PersonPart? Owner,
    DateOnly? DueDate,
    ActionStatus Status,
    List<string> ItemIds,
    DateTime CreatedAt,
    PersonPart CreatedBy,
    int OpenedInRound,
    int? ClosedInRound,
    DateTime? ClosedAt
);

public sealed record DiscussionPart(
    string ItemId,
    DateTime? ResolvedAt,
    PersonPart? ResolvedBy,
    List<CommentPart> Comments
);

public sealed record CommentPart(
    Guid Id,
    PersonPart Author,
    string Body,
    DateTime CreatedAt,
    List<PersonPart> Mentions
);

/// <summary>
/// A lived-experience invitation, without its link: only the link's hash is ever kept, and an imported
/// invitation gets a new one, so a link never opens in another place.
/// </summary>
public sealed record InvitationPart(
    Guid Id,
    Voices Group,
    string PublicName,
    List<string> ItemIds,
    string ConsentStatement,
    string SafeguardingContact,
    DateTime CreatedAt,
    PersonPart CreatedBy,
    DateTime ExpiresAt,
    DateTime? RevokedAt
);

/// <summary>One person's answers through an invitation (named, or anonymous when Name is left out).</summary>
public sealed record ContributionPart(
    Guid Id,
    Guid InvitationId,
    string? Name,
    DateTime SubmittedAt,
    List<ResponsePart> Responses
);

public sealed record ResponsePart(string ItemId, string Text);

public static class ReviewDocumentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}
