using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.LivedExperience;

/// <summary>What one person with lived experience said about one item.</summary>
public sealed record HeardVoice(Voices Group, string? Name, string Text, DateTime SubmittedAt)
{
    public string Who =>
        VoiceService.GroupLabel(Group) + (Name is null ? " (anonymous)" : $": {Name}");
}

/// <summary>Reads contributions for the review's pages, through the tenant filter.</summary>
public static class VoiceReading
{
    /// <summary>Every contribution's answers to these items of the review, in one query.</summary>
    public static async Task<Dictionary<string, List<HeardVoice>>> ForItemsAsync(
        AppDbContext db,
        Guid reviewId,
        IReadOnlyCollection<string> itemIds,
        CancellationToken ct = default
    )
    {
        var rows = await (
            from r in db.VoiceResponses.AsNoTracking()
            where r.ReviewId == reviewId && itemIds.Contains(r.ItemId)
            join c in db.VoiceContributions.AsNoTracking() on r.ContributionId equals c.Id
            orderby c.SubmittedAt, c.Id
            select new
            {
                r.ItemId,
                c.Group,
                c.Name,
                r.Text,
                c.SubmittedAt,
            }
        ).ToListAsync(ct);
        return rows.GroupBy(r => r.ItemId)
            .ToDictionary(
                g => g.Key,
                g => g.Select(r => new HeardVoice(r.Group, r.Name, r.Text, r.SubmittedAt)).ToList()
            );
    }

    /// <summary>How many contributions answered each item of the review.</summary>
    public static async Task<Dictionary<string, int>> CountsByItemAsync(
        AppDbContext db,
        Guid reviewId,
        CancellationToken ct = default
    ) =>
        await db
            .VoiceResponses.AsNoTracking()
            .Where(r => r.ReviewId == reviewId)
            .GroupBy(r => r.ItemId)
            .Select(g => new { ItemId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ItemId, g => g.Count, ct);
}
