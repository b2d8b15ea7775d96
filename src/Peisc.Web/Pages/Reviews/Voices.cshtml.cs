using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The review's lived-experience invitations: their state, their contributions, revoking and new links.</summary>
public sealed class VoicesModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    VoiceService voices,
    TimeProvider clock
) : ReviewPageModel(db, editions, member)
{
    public sealed record Row(
        VoiceInvitation Invitation,
        string Status,
        string TagClass,
        int Contributions,
        bool Live
    );

    public sealed record ContributionRow(
        Guid Id,
        Voices Group,
        string? Name,
        DateTime SubmittedAt,
        int Answers
    )
    {
        public string Who =>
            VoiceService.GroupLabel(Group) + (Name is null ? " (anonymous)" : $": {Name}");
    }

    public List<Row> Invitations { get; private set; } = [];
    public List<ContributionRow> Contributions { get; private set; } = [];
    public int ContributionCount { get; private set; }

    /// <summary>A new link, shown once after it is made.</summary>
    public string? NewLink { get; private set; }
    public string? NewLinkFor { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        await LoadInvitationsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(
        Guid id,
        Guid invitationId,
        CancellationToken ct
    )
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanFacilitate)
        {
            return Denied();
        }
        var invitation = await FindAsync(invitationId, ct);
        if (invitation is null)
        {
            return NotFound();
        }
        if (invitation.RevokedAt is null)
        {
            await voices.RevokeAsync(invitation, ct);
        }
        Message =
            $"The link for {VoiceService.GroupLabel(invitation.Group).ToLowerInvariant()} no longer works";
        return Redirect($"/reviews/{Review.Id}/voices");
    }

    public async Task<IActionResult> OnPostReissueAsync(
        Guid id,
        Guid invitationId,
        CancellationToken ct
    )
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanFacilitate)
        {
            return Denied();
        }
        var invitation = await FindAsync(invitationId, ct);
        if (invitation is null)
        {
            return NotFound();
        }
        if (!invitation.IsLive(clock.GetUtcNow().UtcDateTime))
        {
            return BadRequest();
        }
        NewLink = await voices.ReissueAsync(invitation, $"{Request.Scheme}://{Request.Host}", ct);
        NewLinkFor = VoiceService.GroupLabel(invitation.Group);
        await LoadInvitationsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteContributionAsync(
        Guid id,
        Guid contributionId,
        CancellationToken ct
    )
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanFacilitate)
        {
            return Denied();
        }
        var contribution = await Db.VoiceContributions.SingleOrDefaultAsync(
            c => c.Id == contributionId && c.ReviewId == Review.Id,
            ct
        );
        if (contribution is null)
        {
            return NotFound();
        }
        await voices.DeleteAsync(contribution, ct);
        Message = "The contribution and its answers have been deleted";
        return Redirect($"/reviews/{Review.Id}/voices");
    }

    private Task<VoiceInvitation?> FindAsync(Guid invitationId, CancellationToken ct) =>
        Db.VoiceInvitations.SingleOrDefaultAsync(
            i => i.Id == invitationId && i.ReviewId == Review.Id,
            ct
        );

    private async Task LoadInvitationsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var invitations = await Db
            .VoiceInvitations.AsNoTracking()
            .Where(i => i.ReviewId == Review.Id)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(ct);
        var counts = await Db
            .VoiceContributions.AsNoTracking()
            .Where(c => c.ReviewId == Review.Id)
            .GroupBy(c => c.InvitationId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Invitations = invitations
            .Select(i =>
            {
                var (status, tag) =
                    i.RevokedAt is not null ? ("Revoked", "govuk-tag--grey")
                    : i.ExpiresAt <= now ? ("Expired", "govuk-tag--grey")
                    : ("Open", "govuk-tag--green");
                return new Row(i, status, tag, counts.GetValueOrDefault(i.Id), i.IsLive(now));
            })
            .ToList();
        ContributionCount = counts.Values.Sum();
        Contributions = await Db
            .VoiceContributions.AsNoTracking()
            .Where(c => c.ReviewId == Review.Id)
            .OrderByDescending(c => c.SubmittedAt)
            .Select(c => new ContributionRow(
                c.Id,
                c.Group,
                c.Name,
                c.SubmittedAt,
                Db.VoiceResponses.Count(r => r.ContributionId == c.Id)
            ))
            .ToListAsync(ct);
    }
}
