using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>The writes that several pages share: creating organisations, invitations, role changes and suspensions.</summary>
public sealed class MembershipService(
    AppDbContext db,
    UserManager<AppUser> users,
    CurrentMember member,
    AuditLog audit,
    EmailSender email,
    TimeProvider clock,
    IOptions<SecurityOptions> options
)
{
    public async Task<(
        Organisation? Organisation,
        AppUser? Owner,
        IdentityResult Result
    )> CreateOrganisationAsync(
        string organisationName,
        string ownerName,
        string ownerEmail,
        string password
    )
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            Name = organisationName.Trim(),
            CreatedAt = now,
        };
        var owner = new AppUser
        {
            Id = Guid.NewGuid(),
            UserName = ownerEmail.Trim(),
            Email = ownerEmail.Trim(),
            DisplayName = ownerName.Trim(),
            CreatedAt = now,
            LastOrganisationId = organisation.Id,
        };

        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await users.CreateAsync(owner, password);
        if (!result.Succeeded)
        {
            return (null, null, result);
        }
        db.UseOrganisation(organisation.Id);
        db.Organisations.Add(organisation);
        db.Memberships.Add(
            new Membership
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation.Id,
                UserId = owner.Id,
                Role = MemberRole.Owner,
                CreatedAt = now,
            }
        );
        audit.Add(
            AuditActions.OrganisationCreated,
            nameof(Organisation),
            organisation.Id.ToString(),
            $"Organisation '{organisation.Name}' created with owner {owner.Email}",
            organisationId: organisation.Id,
            actorUserId: owner.Id,
            actorName: owner.DisplayName
        );
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (organisation, owner, IdentityResult.Success);
    }

    /// <summary>Creates an invitation and emails its link. Returns the link (also written to the pickup folder in development).</summary>
    public async Task<string> InviteAsync(
        string emailAddress,
        MemberRole role,
        string baseUrl,
        CancellationToken ct
    )
    {
        var organisationId =
            member.OrganisationId ?? throw new InvalidOperationException("No organisation.");
        var token = System.Buffers.Text.Base64Url.EncodeToString(
            RandomNumberGenerator.GetBytes(32)
        );
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Email = emailAddress.Trim(),
            Role = role,
            TokenHash = HashToken(token),
            InvitedByUserId = member.UserId!.Value,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        audit.Add(
            AuditActions.MemberInvited,
            nameof(Invitation),
            invitation.Id.ToString(),
            $"{invitation.Email} invited as {role}"
        );
        await db.SaveChangesAsync(ct);

        var link = $"{baseUrl.TrimEnd('/')}/invitations/{token}";
        await email.SendAsync(
            invitation.Email,
            $"You are invited to join {member.OrganisationName} on PEISC",
            $"""
            {member.DisplayName} has invited you to join {member.OrganisationName} on PEISC, the tool for ethical reviews of innovation in social care, as a {role}.

            Accept the invitation: {link}

            The link works once and expires on {invitation.ExpiresAt:d MMMM yyyy 'at' HH:mm} UTC. If you were not expecting it, you can ignore this email.
            """,
            ct
        );
        return link;
    }

    /// <summary>Finds a live invitation by its token, whichever organisation it is for.</summary>
    public async Task<Invitation?> FindInvitationAsync(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }
        var hash = HashToken(token);
        var now = clock.GetUtcNow().UtcDateTime;
        // IgnoreQueryFilters: the invitee is not yet a member; the unguessable token is the proof.
        return await db
            .Invitations.IgnoreQueryFilters()
            .Include(i => i.Organisation)
            .SingleOrDefaultAsync(i =>
                i.TokenHash == hash
                && i.AcceptedAt == null
                && i.RevokedAt == null
                && i.ExpiresAt > now
            );
    }

    public async Task AcceptInvitationAsync(Invitation invitation, AppUser user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.UseOrganisation(invitation.OrganisationId);
        var already = await db.Memberships.AnyAsync(m => m.UserId == user.Id);
        invitation.AcceptedAt = now;
        if (!already)
        {
            db.Memberships.Add(
                new Membership
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = invitation.OrganisationId,
                    UserId = user.Id,
                    Role = invitation.Role,
                    CreatedAt = now,
                }
            );
        }
        audit.Add(
            AuditActions.MemberJoined,
            nameof(Membership),
            user.Id.ToString(),
            $"{user.Email} joined as {invitation.Role}",
            organisationId: invitation.OrganisationId,
            actorUserId: user.Id,
            actorName: user.DisplayName
        );
        await db.SaveChangesAsync();
    }

    /// <summary>Changes a member's role; refuses to leave the organisation without an owner.</summary>
    public async Task<string?> ChangeRoleAsync(Membership membership, MemberRole role)
    {
        if (
            membership.Role == MemberRole.Owner
            && role != MemberRole.Owner
            && await IsLastOwnerAsync(membership)
        )
        {
            return "The organisation must keep at least one owner: make someone else an owner first";
        }
        var before = membership.Role;
        membership.Role = role;
        audit.Add(
            AuditActions.MemberRoleChanged,
            nameof(Membership),
            membership.Id.ToString(),
            $"{membership.User?.Email} changed from {before} to {role}"
        );
        await db.SaveChangesAsync();
        return null;
    }

    public async Task<string?> RemoveAsync(Membership membership)
    {
        if (membership.Role == MemberRole.Owner && await IsLastOwnerAsync(membership))
        {
            return "The organisation must keep at least one owner: make someone else an owner first";
        }
        db.Memberships.Remove(membership);
        audit.Add(
            AuditActions.MemberRemoved,
            nameof(Membership),
            membership.Id.ToString(),
            $"{membership.User?.Email} removed"
        );
        await db.SaveChangesAsync();
        return null;
    }

    /// <summary>
    /// Suspends a member's access to this organisation (trust.md S6): every session they have open
    /// in it ends at once, in the same transaction, and their access tokens for it are refused
    /// until an owner restores them. The sign-in cache forgets on the write, so every request
    /// after this one sees it.
    /// </summary>
    public async Task<string?> SuspendAsync(Membership membership, string reason)
    {
        if (membership.UserId == member.UserId)
        {
            return "You cannot suspend your own access";
        }
        if (membership.SuspendedAt is not null)
        {
            return null;
        }
        if (membership.Role == MemberRole.Owner && await IsLastOwnerAsync(membership))
        {
            return "The organisation must keep at least one owner: make someone else an owner first";
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        membership.SuspendedAt = now;
        membership.SuspendedReason = reason.Trim();
        audit.Add(
            AuditActions.MemberSuspended,
            nameof(Membership),
            membership.Id.ToString(),
            $"{membership.User?.Email} suspended: {membership.SuspendedReason}"
        );
        await db.SaveChangesAsync();
        var ended = await db
            .UserSessions.Where(s =>
                s.UserId == membership.UserId
                && s.OrganisationId == membership.OrganisationId
                && s.EndedAt == null
            )
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now));
        if (ended > 0)
        {
            audit.Add(
                AuditActions.SessionsEnded,
                nameof(Membership),
                membership.Id.ToString(),
                $"{ended} {(ended == 1 ? "session" : "sessions")} of {membership.User?.Email} ended on suspension"
            );
            await db.SaveChangesAsync();
        }
        await transaction.CommitAsync();
        return null;
    }

    public async Task RestoreAsync(Membership membership)
    {
        if (membership.SuspendedAt is null)
        {
            return;
        }
        membership.SuspendedAt = null;
        membership.SuspendedReason = null;
        audit.Add(
            AuditActions.MemberRestored,
            nameof(Membership),
            membership.Id.ToString(),
            $"{membership.User?.Email} restored"
        );
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// True when the person belongs to organisations but is suspended from every one of them:
    /// there is nowhere for them to sign in to. Someone with no membership at all can still sign in
    /// (to accept an invitation, for example).
    /// </summary>
    public async Task<bool> IsSuspendedEverywhereAsync(Guid userId)
    {
        // IgnoreQueryFilters: the person's own memberships, in every organisation.
        var suspended = await db
            .Memberships.IgnoreQueryFilters()
            .Where(m => m.UserId == userId)
            .Select(m => m.SuspendedAt != null)
            .ToListAsync();
        return suspended.Count > 0 && suspended.All(s => s);
    }

    // Only an owner who can still sign in counts: a suspended owner cannot look after anything.
    private async Task<bool> IsLastOwnerAsync(Membership membership) =>
        !await db.Memberships.AnyAsync(m =>
            m.Role == MemberRole.Owner && m.Id != membership.Id && m.SuspendedAt == null
        );

    internal static string HashToken(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
