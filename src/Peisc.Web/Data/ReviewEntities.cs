namespace Peisc.Web.Data;

public enum ServiceArea
{
    Children = 0,
    Adults = 1,
    AllAge = 2,
    Other = 3,
}

/// <summary>Where the team stands on one item. Stored by name, so the order here can change.</summary>
public enum Position
{
    NotYetConsidered = 0,
    Addressed = 1,
    PartlyAddressed = 2,
    Concern = 3,
    NotApplicable = 4,
}

/// <summary>Whose voices were heard on an item; several at once.</summary>
[Flags]
public enum Voices
{
    None = 0,
    ChildrenAndYoungPeople = 1,
    Families = 2,
    AdultsWhoUseServices = 4,
    Carers = 8,
    Practitioners = 16,
    Partners = 32,

    // The people who use services, whose absence the summary page points out.
    PeopleWhoUseServices = ChildrenAndYoungPeople | Families | AdultsWhoUseServices | Carers,
}

public enum ActionStatus
{
    Open = 0,
    InProgress = 1,
    Done = 2,
    Dropped = 3,
}

public sealed class Review : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Title { get; set; }
    public required string Innovation { get; set; }
    public ServiceArea ServiceArea { get; set; }
    public required string SituationId { get; set; }
    public required string EditionId { get; set; }
    public string? Partners { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }

    // Kept up to date by ReviewService on every write, so the list of 20,000 reviews reads one row each.
    public Guid CurrentRoundId { get; set; }
    public int CurrentRoundNumber { get; set; }
    public required string CurrentStageId { get; set; }
    public int ItemCount { get; set; }
    public int ConsideredCount { get; set; }
    public int ConcernCount { get; set; }
}

public sealed class Round : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public int Number { get; set; }
    public required string StageId { get; set; }
    public DateTime StartedAt { get; set; }
    public Guid StartedByUserId { get; set; }

    /// <summary>Set when the next round starts: a frozen round is kept as it was, and never edited.</summary>
    public DateTime? FrozenAt { get; set; }
}

public sealed class Answer : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public Guid RoundId { get; set; }
    public required string CellId { get; set; }
    public required string ItemId { get; set; }
    public Position Position { get; set; }
    public string? NotApplicableReason { get; set; }
    public string? Reasoning { get; set; }
    public string? Evidence { get; set; }
    public Voices Voices { get; set; }
    public string? Dissent { get; set; }

    /// <summary>Travels with every answer form; a save on an older version is a conflict, never an overwrite.</summary>
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid UpdatedByUserId { get; set; }
    public string? UpdatedByName { get; set; }
}

/// <summary>Every saved version of an answer: who changed what, and when.</summary>
public sealed class AnswerChange : IOrganisationOwned
{
    public long Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid AnswerId { get; set; }
    public Guid ReviewId { get; set; }
    public Guid RoundId { get; set; }
    public required string ItemId { get; set; }
    public int Version { get; set; }
    public Position Position { get; set; }
    public string? NotApplicableReason { get; set; }
    public string? Reasoning { get; set; }
    public string? Evidence { get; set; }
    public Voices Voices { get; set; }
    public string? Dissent { get; set; }
    public DateTime ChangedAt { get; set; }
    public Guid ChangedByUserId { get; set; }
    public string? ChangedByName { get; set; }
}

public sealed class ReviewAction : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public required string Title { get; set; }
    public Guid? OwnerUserId { get; set; }
    public string? OwnerName { get; set; }
    public DateTime? DueDate { get; set; }
    public ActionStatus Status { get; set; }

    /// <summary>The framework items this action addresses, as a space-separated list of item ids.</summary>
    public string ItemIds { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public int OpenedInRound { get; set; }
    public int? ClosedInRound { get; set; }
    public DateTime? ClosedAt { get; set; }
    public int Version { get; set; }

    /// <summary>When its owner was reminded that it is due soon, so each action is reminded once.</summary>
    public DateTime? DueReminderSentAt { get; set; }
}

/// <summary>A personal access token for the API: scoped to one organisation, stored only as a hash.</summary>
public sealed class AccessToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public required string Prefix { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>The server's limits on what people type: forms and the API both enforce them.</summary>
public static class ReviewLimits
{
    public const int Title = 200;
    public const int ShortText = 500;
    public const int Partners = 1000;
    public const int LongText = 5000;
}
