using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Web.LivedExperience;

/// <summary>What a facilitator asks for when inviting someone with lived experience.</summary>
public sealed record VoiceInvitationInput(
    Voices Group,
    string? PublicName,
    IReadOnlyList<string> ItemIds,
    DateOnly? ExpiresOn,
    string? ConsentStatement,
    string? SafeguardingContact,
    string? Email
);

/// <summary>Why a link does not open: nothing about the review is said in any case.</summary>
public enum LinkState
{
    Live,
    Unknown,
    Expired,
    Revoked,
}

/// <summary>The writes of lived-experience invitations and contributions, shared by the facilitator's and the invitee's pages.</summary>
public sealed class VoiceService(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    EmailSender email,
    TimeProvider clock
)
{
    public const string DefaultConsentStatement = """
        Taking part is your choice. You do not have to answer every question, and you can stop at any time.

        What you write will be read by the team reviewing this new service, and may be quoted in their reports. If you give your name, they will see it; you can stay anonymous instead.

        Please do not write anything that could identify you or someone else, such as names of children, addresses or details of a case.

        You can withdraw what you wrote, using this same link on the same device, until the link expires. After that it is kept with the review.

        If something you write makes us worried that you or someone else is at risk of harm, we may need to share it with the safeguarding contact named on this page.
        """;

    public static readonly IReadOnlyList<(Voices Group, string Label)> Groups =
    [
        (Voices.ChildrenAndYoungPeople, "Children and young people"),
        (Voices.Families, "Families"),
        (Voices.AdultsWhoUseServices, "Adults who use services"),
        (Voices.Carers, "Carers"),
    ];

    public static string GroupLabel(Voices group) =>
        Groups.FirstOrDefault(g => g.Group == group).Label ?? group.ToString();

    /// <summary>The facilitator's choices, checked against the review's edition; empty when all is well.</summary>
    public List<FieldError> Check(VoiceInvitationInput input, ISet<string> itemIds)
    {
        var errors = new List<FieldError>();
        if (!Groups.Any(g => g.Group == input.Group))
        {
            errors.Add(new("Group", "Select who you are inviting"));
        }
        if (string.IsNullOrWhiteSpace(input.PublicName))
        {
            errors.Add(
                new("PublicName", "Enter the name of the innovation as the invitee will see it")
            );
        }
        else if (input.PublicName.Trim().Length > VoiceLimits.PublicName)
        {
            errors.Add(
                new("PublicName", $"Name must be {VoiceLimits.PublicName} characters or fewer")
            );
        }
        if (input.ItemIds.Count == 0)
        {
            errors.Add(new("ItemIds", "Choose at least one question to ask"));
        }
        else if (input.ItemIds.Any(i => !itemIds.Contains(i)))
        {
            errors.Add(new("ItemIds", "Choose questions from this review's framework"));
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.ExpiresOn is not { } expires)
        {
            errors.Add(new("ExpiresOn", "Enter a real date for the link to expire"));
        }
        else if (expires < today)
        {
            errors.Add(new("ExpiresOn", "The expiry date must be today or in the future"));
        }
        else if (expires > today.AddDays(VoiceLimits.MaxLifetimeDays))
        {
            errors.Add(
                new(
                    "ExpiresOn",
                    $"The expiry date must be within {VoiceLimits.MaxLifetimeDays} days"
                )
            );
        }
        if (string.IsNullOrWhiteSpace(input.ConsentStatement))
        {
            errors.Add(new("ConsentStatement", "Enter the consent statement"));
        }
        else if (input.ConsentStatement.Trim().Length > VoiceLimits.ConsentStatement)
        {
            errors.Add(
                new(
                    "ConsentStatement",
                    $"Consent statement must be {VoiceLimits.ConsentStatement} characters or fewer"
                )
            );
        }
        if (string.IsNullOrWhiteSpace(input.SafeguardingContact))
        {
            errors.Add(new("SafeguardingContact", "Enter whom to contact about safeguarding"));
        }
        else if (input.SafeguardingContact.Trim().Length > VoiceLimits.SafeguardingContact)
        {
            errors.Add(
                new(
                    "SafeguardingContact",
                    $"Safeguarding contact must be {VoiceLimits.SafeguardingContact} characters or fewer"
                )
            );
        }
        if (!string.IsNullOrWhiteSpace(input.Email) && !IsEmail(input.Email.Trim()))
        {
            errors.Add(
                new("Email", "Enter an email address in the correct format, like name@example.com")
            );
        }
        return errors;
    }

    /// <summary>Creates the invitation (checked already) and returns it with its link, which is not stored.</summary>
    public async Task<(VoiceInvitation Invitation, string Link)> CreateAsync(
        Review review,
        VoiceInvitationInput input,
        string baseUrl,
        CancellationToken ct = default
    )
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = NewToken();
        var chosen = input.ItemIds.ToHashSet();
        var invitation = new VoiceInvitation
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            Group = input.Group,
            PublicName = input.PublicName!.Trim(),
            ItemIds = string.Join(' ', input.ItemIds.Distinct()),
            ConsentStatement = input.ConsentStatement!.Trim(),
            SafeguardingContact = input.SafeguardingContact!.Trim(),
            TokenHash = MembershipService.HashToken(token),
            CreatedByUserId = member.UserId!.Value,
            CreatedAt = now,
            // The link works until the end of the chosen day, UTC.
            ExpiresAt = input
                .ExpiresOn!.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                .AddDays(1),
        };
        db.VoiceInvitations.Add(invitation);
        var emailed = !string.IsNullOrWhiteSpace(input.Email);
        audit.Add(
            AuditActions.VoiceInvitationCreated,
            nameof(VoiceInvitation),
            invitation.Id.ToString(),
            $"Invitation for {GroupLabel(invitation.Group)} to answer {chosen.Count} items of review {review.Id}, expires {Day(invitation.ExpiresAt)}{(emailed ? ", link emailed" : "")}"
        );
        await db.SaveChangesAsync(ct);
        var link = Link(baseUrl, token);
        if (emailed)
        {
            await SendAsync(input.Email!.Trim(), invitation, link, ct);
        }
        return (invitation, link);
    }

    /// <summary>A new link for a live invitation: the old one stops working at once.</summary>
    public async Task<string> ReissueAsync(
        VoiceInvitation invitation,
        string baseUrl,
        CancellationToken ct = default
    )
    {
        var token = NewToken();
        invitation.TokenHash = MembershipService.HashToken(token);
        audit.Add(
            AuditActions.VoiceInvitationReissued,
            nameof(VoiceInvitation),
            invitation.Id.ToString(),
            $"New link for the invitation for {GroupLabel(invitation.Group)}"
        );
        await db.SaveChangesAsync(ct);
        return Link(baseUrl, token);
    }

    public async Task RevokeAsync(VoiceInvitation invitation, CancellationToken ct = default)
    {
        invitation.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(
            AuditActions.VoiceInvitationRevoked,
            nameof(VoiceInvitation),
            invitation.Id.ToString(),
            $"Invitation for {GroupLabel(invitation.Group)} revoked"
        );
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Finds an invitation by its link, whichever organisation it belongs to, and from then on acts
    /// for that organisation only, so every later read goes through the tenant filter.
    /// </summary>
    public async Task<(VoiceInvitation? Invitation, LinkState State)> FindByTokenAsync(
        string token,
        CancellationToken ct = default
    )
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return (null, LinkState.Unknown);
        }
        var hash = MembershipService.HashToken(token);
        // IgnoreQueryFilters: the invitee has no account and no organisation; the unguessable token is the proof.
        var invitation = await db
            .VoiceInvitations.IgnoreQueryFilters()
            .SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null)
        {
            return (null, LinkState.Unknown);
        }
        db.UseOrganisation(invitation.OrganisationId);
        var now = clock.GetUtcNow().UtcDateTime;
        var state =
            invitation.RevokedAt is not null ? LinkState.Revoked
            : invitation.ExpiresAt <= now ? LinkState.Expired
            : LinkState.Live;
        return (invitation, state);
    }

    public Task<int> ContributionCountAsync(
        VoiceInvitation invitation,
        CancellationToken ct = default
    ) => db.VoiceContributions.CountAsync(c => c.InvitationId == invitation.Id, ct);

    /// <summary>Saves a contribution; returns the key that lets its author withdraw it, or null when the link is full.</summary>
    public async Task<(VoiceContribution Contribution, string WithdrawKey)?> SubmitAsync(
        VoiceInvitation invitation,
        string? name,
        IReadOnlyDictionary<string, string> answers,
        CancellationToken ct = default
    )
    {
        if (await ContributionCountAsync(invitation, ct) >= VoiceLimits.ContributionsPerInvitation)
        {
            return null;
        }
        var key = NewToken();
        var contribution = new VoiceContribution
        {
            Id = Guid.NewGuid(),
            OrganisationId = invitation.OrganisationId,
            InvitationId = invitation.Id,
            ReviewId = invitation.ReviewId,
            Group = invitation.Group,
            Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            SubmittedAt = clock.GetUtcNow().UtcDateTime,
            WithdrawKeyHash = MembershipService.HashToken(key),
        };
        db.VoiceContributions.Add(contribution);
        foreach (var (itemId, text) in answers)
        {
            db.VoiceResponses.Add(
                new VoiceResponse
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = invitation.OrganisationId,
                    ContributionId = contribution.Id,
                    ReviewId = invitation.ReviewId,
                    ItemId = itemId,
                    Text = text.Trim(),
                }
            );
        }
        // No actor: the invitee has no account. Their words and name stay out of the audit trail.
        audit.Add(
            AuditActions.VoiceContributionSubmitted,
            nameof(VoiceContribution),
            contribution.Id.ToString(),
            $"Contribution from {GroupLabel(invitation.Group)} to review {invitation.ReviewId}: {answers.Count} answers, {(contribution.Name is null ? "anonymous" : "named")}",
            organisationId: invitation.OrganisationId,
            actorName: "Invited contributor",
            anonymous: true
        );
        await db.SaveChangesAsync(ct);
        return (contribution, key);
    }

    /// <summary>The contribution that a withdrawal key belongs to, if it is still there.</summary>
    public Task<VoiceContribution?> FindContributionAsync(
        VoiceInvitation invitation,
        string? withdrawKey,
        CancellationToken ct = default
    )
    {
        if (string.IsNullOrEmpty(withdrawKey) || withdrawKey.Length > 100)
        {
            return Task.FromResult<VoiceContribution?>(null);
        }
        var hash = MembershipService.HashToken(withdrawKey);
        return db.VoiceContributions.SingleOrDefaultAsync(
            c => c.InvitationId == invitation.Id && c.WithdrawKeyHash == hash,
            ct
        );
    }

    /// <summary>Deletes the contribution and its answers: nothing of what they wrote is kept.</summary>
    public async Task WithdrawAsync(VoiceContribution contribution, CancellationToken ct = default)
    {
        // The database deletes its answers with it (cascade), in the same statement.
        db.VoiceContributions.Remove(contribution);
        audit.Add(
            AuditActions.VoiceContributionWithdrawn,
            nameof(VoiceContribution),
            contribution.Id.ToString(),
            $"Contribution from {GroupLabel(contribution.Group)} to review {contribution.ReviewId} withdrawn and deleted",
            organisationId: contribution.OrganisationId,
            actorName: "Invited contributor",
            anonymous: true
        );
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A facilitator deletes a contribution, at its author's request, with its answers.</summary>
    public async Task DeleteAsync(VoiceContribution contribution, CancellationToken ct = default)
    {
        db.VoiceContributions.Remove(contribution);
        audit.Add(
            AuditActions.VoiceContributionDeleted,
            nameof(VoiceContribution),
            contribution.Id.ToString(),
            $"Contribution from {GroupLabel(contribution.Group)} to review {contribution.ReviewId} deleted"
        );
        await db.SaveChangesAsync(ct);
    }

    public static string Day(DateTime utc) =>
        utc.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private async Task SendAsync(
        string to,
        VoiceInvitation invitation,
        string link,
        CancellationToken ct
    ) =>
        await email.SendAsync(
            to,
            $"Share your views about {invitation.PublicName}",
            $"""
            {member.OrganisationName} would like to hear your views about {invitation.PublicName}.

            Open this link to read about taking part and to answer a few questions in your own words. You do not need an account.

            {link}

            The link works until {Day(
                invitation.ExpiresAt
            )}. Please do not pass it on. If you were not expecting this email, you can ignore it.

            If you are worried about your safety or someone else's, contact: {invitation.SafeguardingContact}
            """,
            ct
        );

    private static string Link(string baseUrl, string token) =>
        $"{baseUrl.TrimEnd('/')}/voices/{token}";

    private static string NewToken() =>
        System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static bool IsEmail(string text) =>
        text.Length <= 256
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && text.Contains('.', StringComparison.Ordinal);
}
