using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Reviews;

/// <summary>How far a team's individual views of one item are apart.</summary>
public sealed record Spread(IReadOnlyDictionary<Position, int> Counts, int Total, double Score)
{
    /// <summary>"Views differ": someone thinks the item is addressed and someone thinks it is a concern.</summary>
    public bool ViewsDiffer =>
        Counts.GetValueOrDefault(Position.Addressed) > 0
        && Counts.GetValueOrDefault(Position.Concern) > 0;

    public int this[Position position] => Counts.GetValueOrDefault(position);

    /// <summary>
    /// Counts by position, and a score for ordering "discuss first": the average distance between two
    /// people's views on the scale addressed (0), partly addressed (1), concern (2). "Not applicable"
    /// and "not yet considered" count in the spread but not in the score.
    /// </summary>
    public static Spread Of(IEnumerable<Position> positions)
    {
        var list = positions.ToList();
        var counts = list.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        var scale = list.Select(Scale).OfType<int>().ToList();
        double distance = 0;
        var pairs = 0;
        for (var i = 0; i < scale.Count; i++)
        {
            for (var j = i + 1; j < scale.Count; j++)
            {
                distance += Math.Abs(scale[i] - scale[j]);
                pairs++;
            }
        }
        return new Spread(counts, list.Count, pairs == 0 ? 0 : distance / pairs);
    }

    private static int? Scale(Position position) =>
        position switch
        {
            Position.Addressed => 0,
            Position.PartlyAddressed => 1,
            Position.Concern => 2,
            _ => null,
        };
}

/// <summary>
/// Individual reflection (open, record one's own view, reveal) and the item discussions. Pages
/// share these writes; each is audited.
/// </summary>
public sealed class DeliberationService(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    Notifier notifier,
    TimeProvider clock
)
{
    /// <summary>
    /// Opens the cells not yet open. Two facilitators opening at once both succeed: the second opens
    /// whatever the first left closed (usually nothing, and then nothing is audited).
    /// </summary>
    public Task<int> OpenAsync(
        Review review,
        Round round,
        IEnumerable<Cell> cells,
        CancellationToken ct = default
    ) => db.OnceMoreIfRacedAsync(() => OpenOnceAsync(review, round, cells.ToList(), ct), ct);

    private async Task<int> OpenOnceAsync(
        Review review,
        Round round,
        List<Cell> cells,
        CancellationToken ct
    )
    {
        var open = await db
            .Reflections.Where(r => r.RoundId == round.Id)
            .Select(r => r.CellId)
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var opening = cells.Where(c => !open.Contains(c.Id)).Select(c => c.Id).ToList();
        foreach (var cellId in opening)
        {
            db.Reflections.Add(
                new Reflection
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = review.OrganisationId,
                    ReviewId = review.Id,
                    RoundId = round.Id,
                    CellId = cellId,
                    OpenedAt = now,
                    OpenedByName = member.DisplayName ?? "",
                }
            );
        }
        if (opening.Count > 0)
        {
            // One action, one row: the cells it opened are in the detail.
            audit.Add(
                "reflection.opened",
                nameof(Review),
                review.Id.ToString(),
                $"{opening.Count} cells opened for individual reflection in round {round.Number}: "
                    + string.Join(", ", opening)
            );
        }
        await db.SaveChangesAsync(ct);
        return opening.Count;
    }

    public async Task RevealAsync(
        Review review,
        Reflection reflection,
        CancellationToken ct = default
    )
    {
        if (reflection.RevealedAt is not null)
        {
            return;
        }
        reflection.RevealedAt = clock.GetUtcNow().UtcDateTime;
        reflection.RevealedByName = member.DisplayName;
        audit.Add(
            "reflection.revealed",
            nameof(Review),
            review.Id.ToString(),
            $"{reflection.CellId}: individual views revealed"
        );
        await db.SaveChangesAsync(ct);
    }

    public sealed record ViewInput(
        Position Position,
        string? Reasoning,
        string? MinorityView,
        bool MinorityViewNamed
    );

    /// <summary>
    /// Records the signed-in person's own view; only while the cell is open and not yet revealed.
    /// Saved from two tabs at once, the later save stands.
    /// </summary>
    public Task SaveViewAsync(
        Review review,
        Reflection reflection,
        Item item,
        ViewInput input,
        CancellationToken ct = default
    ) => db.OnceMoreIfRacedAsync(() => SaveViewOnceAsync(review, reflection, item, input, ct), ct);

    private async Task SaveViewOnceAsync(
        Review review,
        Reflection reflection,
        Item item,
        ViewInput input,
        CancellationToken ct
    )
    {
        if (reflection.RevealedAt is not null)
        {
            throw new InvalidOperationException("Views cannot change once they are revealed.");
        }
        var userId = member.UserId!.Value;
        var view = await db.IndividualViews.SingleOrDefaultAsync(
            v => v.RoundId == reflection.RoundId && v.ItemId == item.Id && v.UserId == userId,
            ct
        );
        if (view is null)
        {
            view = new IndividualView
            {
                Id = Guid.NewGuid(),
                OrganisationId = review.OrganisationId,
                ReviewId = review.Id,
                RoundId = reflection.RoundId,
                CellId = reflection.CellId,
                ItemId = item.Id,
                UserId = userId,
                UserName = member.DisplayName ?? "",
            };
            db.IndividualViews.Add(view);
        }
        view.Position = input.Position;
        view.Reasoning = ReviewRules.Clean(input.Reasoning);
        view.MinorityView = ReviewRules.Clean(input.MinorityView);
        view.MinorityViewNamed = input.MinorityViewNamed && view.MinorityView is not null;
        view.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(
            "reflection.view-saved",
            nameof(IndividualView),
            view.Id.ToString(),
            $"{item.Id}: {view.Position}"
        );
        await db.SaveChangesAsync(ct);
    }

    public async Task<Comment> AddCommentAsync(
        Review review,
        Item item,
        string body,
        IReadOnlyCollection<Guid> mentioned,
        CancellationToken ct = default
    )
    {
        // Only members of this organisation can be mentioned: the filter drops anyone else.
        var members = await db
            .Memberships.AsNoTracking()
            .Where(m => mentioned.Contains(m.UserId) && m.UserId != member.UserId)
            .Select(m => m.UserId)
            .ToListAsync(ct);
        var comment = new Comment
        {
            Id = Guid.NewGuid(),
            OrganisationId = review.OrganisationId,
            ReviewId = review.Id,
            ItemId = item.Id,
            AuthorUserId = member.UserId!.Value,
            AuthorName = member.DisplayName ?? "",
            Body = ReviewRules.Clean(body)!,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            MentionedUserIds = string.Join(' ', members),
        };
        db.Comments.Add(comment);
        audit.Add(
            "comment.added",
            nameof(Comment),
            comment.Id.ToString(),
            $"{item.Id}" + (members.Count > 0 ? $", mentioning {members.Count}" : "")
        );
        await db.SaveChangesAsync(ct);
        foreach (var userId in members)
        {
            await notifier.SendAsync(
                userId,
                NotificationKind.Mention,
                $"{member.DisplayName} mentioned you in \"{review.Title}\"",
                $"{member.DisplayName} wrote about item {item.Id} of the review \"{review.Title}\":\n\n"
                    + $"{comment.Body}\n\nReply at {notifier.Link($"/reviews/{review.Id}/items/{item.Id}/discussion")}",
                ct
            );
        }
        return comment;
    }

    /// <summary>Marks an item's discussion resolved or reopened; the later of two at once stands.</summary>
    public Task SetResolvedAsync(
        Review review,
        Item item,
        bool resolved,
        CancellationToken ct = default
    ) => db.OnceMoreIfRacedAsync(() => SetResolvedOnceAsync(review, item, resolved, ct), ct);

    private async Task SetResolvedOnceAsync(
        Review review,
        Item item,
        bool resolved,
        CancellationToken ct
    )
    {
        var thread = await db.CommentThreads.SingleOrDefaultAsync(
            t => t.ReviewId == review.Id && t.ItemId == item.Id,
            ct
        );
        if (thread is null)
        {
            thread = new CommentThread
            {
                Id = Guid.NewGuid(),
                OrganisationId = review.OrganisationId,
                ReviewId = review.Id,
                ItemId = item.Id,
            };
            db.CommentThreads.Add(thread);
        }
        thread.ResolvedAt = resolved ? clock.GetUtcNow().UtcDateTime : null;
        thread.ResolvedByName = resolved ? member.DisplayName : null;
        audit.Add(
            resolved ? "comment.thread-resolved" : "comment.thread-reopened",
            nameof(Review),
            review.Id.ToString(),
            item.Id
        );
        await db.SaveChangesAsync(ct);
    }
}
