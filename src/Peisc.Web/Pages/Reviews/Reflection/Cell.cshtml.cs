using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews.Reflection;

/// <summary>
/// One cell's individual reflection. While it is open, each person sees and records only their own
/// views. Once revealed, everyone sees every view, the spread per item, and the facilitator records
/// the position the team agrees, with the minority views kept.
/// </summary>
public sealed class CellModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    DeliberationService deliberation,
    ReviewService reviews
) : ReviewPageModel(db, editions, member)
{
    public sealed class ViewForm
    {
        public Position? Position { get; set; }
        public string? Reasoning { get; set; }
        public string? MinorityView { get; set; }
        public bool MinorityViewNamed { get; set; }
    }

    public sealed class AgreedForm
    {
        public string? ItemId { get; set; }
        public Position? Position { get; set; }
        public string? Reasoning { get; set; }
        public string? Dissent { get; set; }
        public int Version { get; set; }
    }

    [BindProperty]
    public List<ViewForm> Views { get; set; } = [];

    [BindProperty]
    public AgreedForm Agreed { get; set; } = new();

    public Section Section { get; private set; } = default!;
    public Domain Domain { get; private set; } = default!;
    public Cell Cell { get; private set; } = default!;
    public Data.Reflection? Reflection { get; private set; }
    public List<IndividualView> AllViews { get; private set; } = [];
    public Dictionary<string, Answer> TeamAnswers { get; private set; } = [];

    /// <summary>The item whose agreed-position form came back with an error, if any.</summary>
    public string? AgreedErrorItem { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public bool Revealed => Reflection?.RevealedAt is not null;
    public bool CanRecord =>
        Reflection is not null && !Revealed && CanContribute && CurrentRound.FrozenAt is null;
    public bool CanDecide =>
        Revealed && CanFacilitate && Review.ArchivedAt is null && CurrentRound.FrozenAt is null;
    public string Href => $"/reviews/{Review.Id}/reflection/{Section.Id}/{Domain.Id}";

    public IEnumerable<IndividualView> ViewsOf(Item item) =>
        AllViews.Where(v => v.ItemId == item.Id).OrderBy(v => v.UserName);

    public Spread SpreadOf(Item item) => Spread.Of(ViewsOf(item).Select(v => v.Position));

    /// <summary>The minority views as they will be kept: with a name only where its author chose so.</summary>
    public string MinorityViews(Item item) =>
        string.Join(
            "\n",
            ViewsOf(item)
                .Where(v => v.MinorityView is not null)
                .Select(v =>
                    $"{(v.MinorityViewNamed ? v.UserName : "Anonymous")}: {v.MinorityView}"
                )
        );

    public async Task<IActionResult> OnGetAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct
    )
    {
        if (!await LoadCellAsync(id, sectionId, domainId, ct))
        {
            return NotFound();
        }
        FillForms();
        return Page();
    }

    public async Task<IActionResult> OnPostViewsAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct
    )
    {
        if (!await LoadCellAsync(id, sectionId, domainId, ct))
        {
            return NotFound();
        }
        if (!CanRecord)
        {
            return Forbid();
        }
        if (Views.Count != Cell.Items.Count)
        {
            return BadRequest();
        }
        ModelState.Clear();
        for (var i = 0; i < Views.Count; i++)
        {
            Check(
                i,
                nameof(ViewForm.Reasoning),
                Views[i].Reasoning,
                DeliberationLimits.Reasoning,
                "Your reasoning"
            );
            Check(
                i,
                nameof(ViewForm.MinorityView),
                Views[i].MinorityView,
                DeliberationLimits.MinorityView,
                "Your minority view"
            );
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        for (var i = 0; i < Views.Count; i++)
        {
            var form = Views[i];
            // "Not yet considered" records nothing: the person has no view of this item yet.
            if (form.Position is null or Position.NotYetConsidered)
            {
                continue;
            }
            await deliberation.SaveViewAsync(
                Review,
                Reflection!,
                Cell.Items[i],
                new(form.Position.Value, form.Reasoning, form.MinorityView, form.MinorityViewNamed),
                ct
            );
        }
        Message =
            "Your views are saved. Others will see them when the facilitator reveals this cell.";
        return Redirect(Href);
    }

    public async Task<IActionResult> OnPostRevealAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct
    )
    {
        if (!await LoadCellAsync(id, sectionId, domainId, ct, track: true))
        {
            return NotFound();
        }
        if (Reflection is null || !CanFacilitate || CurrentRound.FrozenAt is not null)
        {
            return Forbid();
        }
        await deliberation.RevealAsync(Review, Reflection, ct);
        Message = "Views revealed: everyone can now see them";
        return Redirect(Href);
    }

    public async Task<IActionResult> OnPostAgreeAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct
    )
    {
        if (!await LoadCellAsync(id, sectionId, domainId, ct))
        {
            return NotFound();
        }
        if (!CanDecide)
        {
            return Forbid();
        }
        var item = Cell.Items.FirstOrDefault(i => i.Id == Agreed.ItemId);
        if (item is null)
        {
            return BadRequest();
        }
        ModelState.Clear();
        AgreedErrorItem = item.Id;
        if (Agreed.Position is null)
        {
            ModelState.AddModelError("Agreed.Position", "Select the position the team agrees");
            FillForms(keepAgreed: true);
            return Page();
        }
        var outcome = await reviews.SaveAnswerAsync(
            Review,
            CurrentRound,
            Cell,
            item,
            new AnswerInput(
                Agreed.Position.Value,
                Agreed.Position == Position.NotApplicable ? "Agreed by the team" : null,
                Agreed.Reasoning,
                TeamAnswers.GetValueOrDefault(item.Id)?.Evidence,
                TeamAnswers.GetValueOrDefault(item.Id)?.Voices ?? Voices.None,
                Agreed.Dissent
            ),
            Agreed.Version,
            ct
        );
        switch (outcome)
        {
            case SaveOutcome.Saved:
                Message =
                    $"The team's position is recorded for item {Cell.Items.ToList().IndexOf(item) + 1}";
                return Redirect($"{Href}#item-{item.Id}");
            case SaveOutcome.Conflict conflict:
                ModelState.AddModelError(
                    "Agreed.Reasoning",
                    $"Someone else saved this item's answer while you were deciding (now at version {conflict.Current?.Version ?? 0}): check it below and record the team's position again"
                );
                break;
            case SaveOutcome.Invalid invalid:
                AddErrors(invalid.Errors, "Agreed.");
                break;
        }
        await LoadCellAsync(id, sectionId, domainId, ct);
        FillForms(keepAgreed: true);
        return Page();
    }

    private void Check(int i, string field, string? text, int max, string what)
    {
        if (text is not null && text.Trim().Length > max)
        {
            ModelState.AddModelError(
                $"Views[{i}].{field}",
                $"{what} on item {i + 1} must be {max} characters or fewer"
            );
        }
    }

    private void FillForms(bool keepAgreed = false)
    {
        var mine = AllViews.Where(v => v.UserId == Member.UserId).ToDictionary(v => v.ItemId);
        Views = Cell
            .Items.Select(i =>
                mine.GetValueOrDefault(i.Id) is { } v
                    ? new ViewForm
                    {
                        Position = v.Position,
                        Reasoning = v.Reasoning,
                        MinorityView = v.MinorityView,
                        MinorityViewNamed = v.MinorityViewNamed,
                    }
                    : new ViewForm { Position = Position.NotYetConsidered }
            )
            .ToList();
        if (!keepAgreed)
        {
            Agreed = new();
        }
    }

    /// <summary>The agreed-position form for an item: what was typed if it came back, else the team's current answer.</summary>
    public AgreedForm AgreedFor(Item item)
    {
        if (AgreedErrorItem == item.Id)
        {
            return Agreed;
        }
        var answer = TeamAnswers.GetValueOrDefault(item.Id);
        var spread = SpreadOf(item);
        return new AgreedForm
        {
            ItemId = item.Id,
            Position = answer?.Position,
            Reasoning = answer?.Reasoning,
            Dissent = answer?.Dissent ?? (MinorityViews(item) is { Length: > 0 } m ? m : null),
            Version = answer?.Version ?? 0,
        };
    }

    private async Task<bool> LoadCellAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct,
        bool track = false
    )
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return false;
        }
        if (
            Edition.FindSection(sectionId) is not { } section
            || Edition.FindDomain(domainId) is not { } domain
            || Edition.FindCell(sectionId, domainId) is not { } cell
        )
        {
            return false;
        }
        (Section, Domain, Cell) = (section, domain, cell);
        var reflections = track ? Db.Reflections : Db.Reflections.AsNoTracking();
        Reflection = await reflections.SingleOrDefaultAsync(
            r => r.RoundId == CurrentRound.Id && r.CellId == cell.Id,
            ct
        );
        // Before the reveal, a person reads only their own views: the others are not even loaded.
        var userId = Member.UserId;
        var revealed = Reflection?.RevealedAt is not null;
        AllViews = await Db
            .IndividualViews.AsNoTracking()
            .Where(v =>
                v.RoundId == CurrentRound.Id
                && v.CellId == cell.Id
                && (revealed || v.UserId == userId)
            )
            .ToListAsync(ct);
        TeamAnswers = await Db
            .Answers.AsNoTracking()
            .Where(a => a.RoundId == CurrentRound.Id && a.CellId == cell.Id)
            .ToDictionaryAsync(a => a.ItemId, ct);
        return true;
    }
}
