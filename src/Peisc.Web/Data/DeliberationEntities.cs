namespace Peisc.Web.Data;

/// <summary>
/// One cell of a review's current round opened for individual reflection: each participant records
/// their own view, unseen by others until the facilitator reveals the cell's views.
/// </summary>
public sealed class Reflection : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public Guid RoundId { get; set; }
    public required string CellId { get; set; }
    public DateTime OpenedAt { get; set; }
    public required string OpenedByName { get; set; }
    public DateTime? RevealedAt { get; set; }
    public string? RevealedByName { get; set; }
}

/// <summary>One person's own view of one item, kept in the record beside the team's agreed position.</summary>
public sealed class IndividualView : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public Guid RoundId { get; set; }
    public required string CellId { get; set; }
    public required string ItemId { get; set; }
    public Guid UserId { get; set; }
    public required string UserName { get; set; }
    public Position Position { get; set; }
    public string? Reasoning { get; set; }

    /// <summary>A minority view this person wants kept once the team has agreed.</summary>
    public string? MinorityView { get; set; }

    /// <summary>Whether the minority view carries their name; otherwise it is shown as anonymous.</summary>
    public bool MinorityViewNamed { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A discussion about one item of a review, across its rounds.</summary>
public sealed class Comment : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public required string ItemId { get; set; }
    public Guid AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The members this comment mentions (and notified), as a space-separated list of user ids.</summary>
    public string MentionedUserIds { get; set; } = "";
}

/// <summary>Whether an item's discussion is resolved; no row means it is open.</summary>
public sealed class CommentThread : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public required string ItemId { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedByName { get; set; }
}

public static class DeliberationLimits
{
    public const int Reasoning = 2000;
    public const int MinorityView = 2000;
    public const int Comment = 4000;
}
