namespace Peisc.Web.Data;

/// <summary>
/// A link that lets a person or group with lived experience answer some of a review's items without
/// an account. Only the token's hash is kept: the link itself is shown once, or emailed.
/// </summary>
public sealed class VoiceInvitation : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }

    /// <summary>Exactly one of the voices of people who use services.</summary>
    public Voices Group { get; set; }

    /// <summary>What the invitee sees as the innovation's name: the facilitator's choice, never the review's title.</summary>
    public required string PublicName { get; set; }

    /// <summary>The chosen framework items, as a space-separated list of item ids, in the framework's order.</summary>
    public required string ItemIds { get; set; }
    public required string ConsentStatement { get; set; }
    public required string SafeguardingContact { get; set; }
    public required string TokenHash { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsLive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>One person's answers through an invitation. Withdrawing deletes it with its answers.</summary>
public sealed class VoiceContribution : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid InvitationId { get; set; }
    public Guid ReviewId { get; set; }
    public Voices Group { get; set; }

    /// <summary>Null when the person chose to stay anonymous.</summary>
    public string? Name { get; set; }
    public DateTime SubmittedAt { get; set; }

    /// <summary>Hash of the key kept in the contributor's browser, which lets them withdraw.</summary>
    public required string WithdrawKeyHash { get; set; }
}

/// <summary>A contribution's answer to one item, in the person's own words.</summary>
public sealed class VoiceResponse : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ContributionId { get; set; }
    public Guid ReviewId { get; set; }
    public required string ItemId { get; set; }
    public required string Text { get; set; }
}

/// <summary>An organisation's own plain-language wording of one item, replacing ours for its invitations.</summary>
public sealed class PlainLanguageText : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string ItemId { get; set; }
    public required string Text { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid UpdatedByUserId { get; set; }
}

/// <summary>The server's limits for lived-experience invitations and contributions.</summary>
public static class VoiceLimits
{
    public const int PublicName = 200;
    public const int ConsentStatement = 4000;
    public const int SafeguardingContact = 1000;
    public const int Name = 100;
    public const int Answer = 3000;
    public const int PlainLanguage = 1000;

    /// <summary>How many people may contribute through one link: enough for a group session, not a flood.</summary>
    public const int ContributionsPerInvitation = 50;
    public const int MaxLifetimeDays = 90;
}
