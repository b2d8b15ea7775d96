using Microsoft.AspNetCore.Identity;

namespace Peisc.Web.Data;

/// <summary>Marks rows that belong to one organisation; AppDbContext filters them by the signed-in organisation.</summary>
public interface IOrganisationOwned
{
    Guid OrganisationId { get; set; }
}

public enum MemberRole
{
    Viewer = 0,
    Contributor = 1,
    Facilitator = 2,
    Owner = 3,
}

public sealed class AppUser : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }
    public DateTime CreatedAt { get; set; }

    // The organisation a new session starts in: the one the person last switched to.
    public Guid? LastOrganisationId { get; set; }

    // Which emails this person wants (account/notifications); each kind can be turned off.
    public bool NotifyMentions { get; set; } = true;
    public bool NotifyActionsAssigned { get; set; } = true;
    public bool NotifyActionsDueSoon { get; set; } = true;
}

public sealed class Organisation
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public bool RequireTwoFactor { get; set; }

    // Which framework edition new reviews use: a built-in id, or the id of one of its own editions.
    public string DefaultEditionId { get; set; } = Framework.FrameworkCatalog.DefaultEditionId;
    public DateTime CreatedAt { get; set; }
}

public sealed class Membership : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid UserId { get; set; }
    public MemberRole Role { get; set; }
    public DateTime CreatedAt { get; set; }

    // An owner can suspend someone's access (trust.md S6): their sessions and tokens stop working
    // in this organisation until an owner restores it. What they recorded stays.
    public DateTime? SuspendedAt { get; set; }
    public string? SuspendedReason { get; set; }

    public AppUser? User { get; set; }
    public Organisation? Organisation { get; set; }
}

public sealed class Invitation : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Email { get; set; }
    public MemberRole Role { get; set; }

    // Only a hash is stored: the token itself travels in the emailed link and nowhere else.
    public required string TokenHash { get; set; }
    public Guid InvitedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public Organisation? Organisation { get; set; }
}

/// <summary>A framework edition an organisation uploaded; the JSON is kept exactly as checked.</summary>
public sealed class OrganisationEdition : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string EditionId { get; set; }
    public required string Title { get; set; }
    public required string Version { get; set; }
    public required string Json { get; set; }
    public Guid UploadedByUserId { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>A signed-in session held on the server, so that signing out really ends it.</summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? OrganisationId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? UserAgent { get; set; }

    public AppUser? User { get; set; }
}

public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime OccurredAt { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? ActorUserId { get; set; }
    public string? ActorName { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Detail { get; set; }
    public string? CorrelationId { get; set; }

    // Written at insert: a random salt, and SHA-256 over the salt and the personal fields above
    // (actor, detail, entity id, correlation id), so that erasure can blank those fields and the
    // chain, which covers this digest rather than the fields, still verifies (see AuditChain).
    public string Salt { get; set; } = "";
    public string ContentDigest { get; set; } = "";

    // Set once an erasure has blanked personal fields; verification then trusts ContentDigest.
    public bool Redacted { get; set; }

    // The seal, written later by AuditSealer: position in the chain, the previous row's hash, this row's hash.
    public long? Sequence { get; set; }
    public string? PreviousHash { get; set; }
    public string? Hash { get; set; }
}
