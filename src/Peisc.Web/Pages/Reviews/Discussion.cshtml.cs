using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

/// <summary>The discussion of one item: comments in order, mentions that notify, resolve and reopen.</summary>
public sealed class DiscussionModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    DeliberationService deliberation
) : ReviewPageModel(db, editions, member)
{
    public sealed class CommentForm
    {
        public string? Body { get; set; }
        public List<Guid> Mentions { get; set; } = [];
    }

    [BindProperty]
    public CommentForm Input { get; set; } = new();

    public ItemPlace Place { get; private set; } = default!;
    public List<Comment> Comments { get; private set; } = [];
    public CommentThread? Thread { get; private set; }
    public List<(Guid Id, string Name)> Members { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public bool Resolved => Thread?.ResolvedAt is not null;
    public bool CanTake => CanContribute;

    public IEnumerable<CheckboxOption> MentionOptions =>
        Members
            .Where(m => m.Id != Member.UserId)
            .Select(m => new CheckboxOption(
                m.Id.ToString(),
                m.Name,
                Input.Mentions.Contains(m.Id)
            ));

    public string NameOf(Guid userId) =>
        Members.FirstOrDefault(m => m.Id == userId).Name ?? "a former member";

    public async Task<IActionResult> OnGetAsync(Guid id, string itemId, CancellationToken ct) =>
        await LoadThreadAsync(id, itemId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, string itemId, CancellationToken ct)
    {
        if (!await LoadThreadAsync(id, itemId, ct))
        {
            return NotFound();
        }
        if (!CanTake)
        {
            return Forbid();
        }
        var body = Input.Body?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            ModelState.AddModelError("Input.Body", "Enter your comment");
        }
        else if (body.Length > DeliberationLimits.Comment)
        {
            ModelState.AddModelError(
                "Input.Body",
                $"Your comment must be {DeliberationLimits.Comment} characters or fewer"
            );
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await deliberation.AddCommentAsync(Review, Place.Item, body!, Input.Mentions, ct);
        Message = "Comment added";
        return Redirect($"/reviews/{id}/items/{itemId}/discussion#comments");
    }

    public async Task<IActionResult> OnPostResolveAsync(
        Guid id,
        string itemId,
        bool resolved,
        CancellationToken ct
    )
    {
        if (!await LoadThreadAsync(id, itemId, ct))
        {
            return NotFound();
        }
        if (!CanTake)
        {
            return Forbid();
        }
        await deliberation.SetResolvedAsync(Review, Place.Item, resolved, ct);
        Message = resolved ? "Discussion marked as resolved" : "Discussion reopened";
        return Redirect($"/reviews/{id}/items/{itemId}/discussion");
    }

    private async Task<bool> LoadThreadAsync(Guid id, string itemId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct) || Edition.FindItem(itemId) is not { } place)
        {
            return false;
        }
        Place = place;
        Comments = await Db
            .Comments.AsNoTracking()
            .Where(c => c.ReviewId == id && c.ItemId == itemId)
            .OrderBy(c => c.CreatedAt)
            .ToListAsync(ct);
        Thread = await Db
            .CommentThreads.AsNoTracking()
            .SingleOrDefaultAsync(t => t.ReviewId == id && t.ItemId == itemId, ct);
        Members = (
            await Db
                .Memberships.AsNoTracking()
                .OrderBy(m => m.User!.DisplayName)
                .Select(m => new { m.UserId, m.User!.DisplayName })
                .ToListAsync(ct)
        )
            .Select(m => (m.UserId, m.DisplayName))
            .ToList();
        return true;
    }
}
