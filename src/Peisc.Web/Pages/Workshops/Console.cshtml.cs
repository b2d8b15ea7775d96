using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Workshops;

namespace Peisc.Web.Pages.Workshops;

/// <summary>The facilitator's console: move through the items, run the timer, record what the team agrees.</summary>
public sealed class ConsoleModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    WorkshopService workshops,
    ReviewService reviews,
    WatchTokens tokens,
    TimeProvider clock
) : WorkshopPageModel(db, editions, workshops, tokens, clock)
{
    public static readonly int[] TimerMinutes = [1, 2, 3, 5, 10];

    public sealed class AgreeForm
    {
        public string? ItemId { get; set; }
        public Position? Position { get; set; }
        public string? Reasoning { get; set; }
        public string? NotApplicableReason { get; set; }
        public int Version { get; set; }
    }

    [BindProperty]
    public AgreeForm Agree { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public Answer? Answer { get; private set; }
    public int ParticipantCount { get; private set; }
    public Round? Round { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, track: false, ct) is { } refused)
        {
            return refused;
        }
        Agree = new AgreeForm
        {
            ItemId = Item.Id,
            Position = Answer?.Position is { } p && p != Position.NotYetConsidered ? p : null,
            Reasoning = Answer?.Reasoning,
            NotApplicableReason = Answer?.NotApplicableReason,
            Version = Answer?.Version ?? 0,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostGoAsync(Guid id, int to, CancellationToken ct)
    {
        if (await LoadAsync(id, track: true, ct) is { } refused)
        {
            return refused;
        }
        if (Active)
        {
            await Workshops.MoveAsync(Session, to, ct);
        }
        return Redirect($"/workshops/{id}");
    }

    public async Task<IActionResult> OnPostTimerAsync(Guid id, int? minutes, CancellationToken ct)
    {
        if (await LoadAsync(id, track: true, ct) is { } refused)
        {
            return refused;
        }
        if (Active)
        {
            await Workshops.SetTimerAsync(
                Session,
                minutes is { } m && TimerMinutes.Contains(m) ? m : null,
                ct
            );
        }
        return Redirect($"/workshops/{id}");
    }

    public Task<IActionResult> OnPostStopTimerAsync(Guid id, CancellationToken ct) =>
        OnPostTimerAsync(id, null, ct);

    public async Task<IActionResult> OnPostEndAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, track: true, ct) is { } refused)
        {
            return refused;
        }
        if (Session.EndedAt is null)
        {
            await Workshops.EndAsync(Session, ct);
        }
        Message = "The session has ended: its join code no longer works.";
        return Redirect($"/workshops/{id}");
    }

    public async Task<IActionResult> OnPostAgreeAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, track: false, ct) is { } refused)
        {
            return refused;
        }
        if (Agree.ItemId != Item.Id)
        {
            ModelState.AddModelError(
                "Agree.Position",
                "The session moved to another item before you saved: check the item and save again"
            );
            return Page();
        }
        if (Agree.Position is not { } position)
        {
            ModelState.AddModelError("Agree.Position", "Select the position the team agreed");
            return Page();
        }
        var review = await Db.Reviews.SingleAsync(r => r.Id == Review.Id, ct);
        var round = await Db
            .Rounds.AsNoTracking()
            .SingleAsync(r => r.Id == review.CurrentRoundId, ct);
        if (round.Id != Session.RoundId)
        {
            ModelState.AddModelError(
                "Agree.Position",
                "The review has moved to a new round since this session started: record positions on the review's pages"
            );
            return Page();
        }
        Workshops.AuditAgreed(Session, Item, position);
        var outcome = await reviews.SaveAnswerAsync(
            review,
            round,
            Cell,
            Item,
            new AnswerInput(
                position,
                Agree.NotApplicableReason,
                Agree.Reasoning,
                Answer?.Evidence,
                Answer?.Voices ?? Voices.None,
                Answer?.Dissent
            ),
            Agree.Version,
            ct
        );
        switch (outcome)
        {
            case SaveOutcome.Saved:
                Message =
                    $"The agreed position on item {Session.CurrentIndex + 1} is saved to the review.";
                return Redirect($"/workshops/{id}");
            case SaveOutcome.Conflict conflict:
                ModelState.AddModelError(
                    "Agree.Position",
                    $"Someone else saved this item while you were deciding (now {Labels.Of(conflict.Current?.Position ?? Position.NotYetConsidered)}): check it, then save again to replace it"
                );
                Agree.Version = conflict.Current?.Version ?? 0;
                ModelState.Remove("Agree.Version");
                return Page();
            case SaveOutcome.Invalid invalid:
                foreach (var error in invalid.Errors)
                {
                    ModelState.AddModelError("Agree." + error.Field, error.Message);
                }
                return Page();
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, bool track, CancellationToken ct)
    {
        if (
            !await LoadAsync(
                id,
                track,
                WatchTokens.SubjectOfUser(member.UserId!.Value),
                screen: true,
                ct
            )
        )
        {
            return NotFound();
        }
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        Answer = await Db
            .Answers.AsNoTracking()
            .SingleOrDefaultAsync(a => a.RoundId == Session.RoundId && a.ItemId == Item.Id, ct);
        ParticipantCount = await Db.WorkshopParticipants.CountAsync(p => p.SessionId == id, ct);
        return null;
    }
}
