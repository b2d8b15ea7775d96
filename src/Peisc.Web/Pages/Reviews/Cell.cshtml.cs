using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

public sealed class CellModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    ReviewService reviews
) : ReviewPageModel(db, editions, member)
{
    public sealed record Neighbour(string Href, string Label);

    [BindProperty]
    public List<ItemForm> Items { get; set; } = [];

    public Section Section { get; private set; } = default!;
    public Domain Domain { get; private set; } = default!;
    public Cell Cell { get; private set; } = default!;
    public int CellNumber { get; private set; }
    public int CellCount { get; private set; }
    public Neighbour? Previous { get; private set; }
    public Neighbour? Next { get; private set; }
    public Dictionary<string, Answer> Saved { get; private set; } = [];

    /// <summary>What people with lived experience said about this cell's items.</summary>
    public Dictionary<string, List<HeardVoice>> Heard { get; private set; } = [];

    /// <summary>Items someone else saved while this person was editing, with what they saved.</summary>
    public Dictionary<string, Answer?> Conflicts { get; } = [];

    [TempData]
    public string? Message { get; set; }

    public bool PartlySaved { get; private set; }

    public bool Editable => CanContribute && CurrentRound.FrozenAt is null;

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
        Items = Cell.Items.Select(i => ItemForm.From(i.Id, Saved.GetValueOrDefault(i.Id))).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(
        Guid id,
        string sectionId,
        string domainId,
        [FromForm] bool next,
        CancellationToken ct
    )
    {
        if (!await LoadCellAsync(id, sectionId, domainId, ct))
        {
            return NotFound();
        }
        if (!Editable)
        {
            return Forbid();
        }
        // The form must describe exactly this cell's items, in order; anything else is not a form we made.
        if (
            Items.Count != Cell.Items.Count
            || Items.Where((f, i) => f.ItemId != Cell.Items[i].Id).Any()
        )
        {
            return BadRequest();
        }

        // Binding messages ("The value 'x' is not valid") are replaced by the rules' plain ones.
        ModelState.Clear();
        var savedAny = false;
        for (var i = 0; i < Items.Count; i++)
        {
            var form = Items[i];
            var item = Cell.Items[i];
            if (form.Position is null)
            {
                ModelState.AddModelError(
                    $"Items[{i}].Position",
                    $"Select where the team stands on item {i + 1}"
                );
                continue;
            }
            var outcome = await reviews.SaveAnswerAsync(
                Review,
                CurrentRound,
                Cell,
                item,
                form.ToInput(),
                form.Version,
                ct
            );
            switch (outcome)
            {
                case SaveOutcome.Saved saved:
                    savedAny |= saved.Answer.Version != form.Version;
                    form.Version = saved.Answer.Version;
                    break;
                case SaveOutcome.Conflict conflict:
                    Conflicts[item.Id] = conflict.Current;
                    // Saving again now means "keep mine", deliberately, over the version just shown.
                    form.Version = conflict.Current?.Version ?? 0;
                    break;
                case SaveOutcome.Invalid invalid:
                    foreach (var error in invalid.Errors)
                    {
                        ModelState.AddModelError(
                            $"Items[{i}].{error.Field}",
                            $"{error.Message} (item {i + 1})"
                        );
                    }
                    break;
            }
        }
        foreach (var (itemId, _) in Conflicts)
        {
            var index = Cell.Items.ToList().FindIndex(i => i.Id == itemId);
            ModelState.AddModelError(
                $"Items[{index}].Reasoning",
                $"Someone else saved item {index + 1} while you were editing: compare the two versions below and choose which to keep"
            );
        }
        if (!ModelState.IsValid)
        {
            // Items without problems were saved: show the progress as it now stands, and say so.
            await LoadAsync(id, ct: ct);
            await LoadAnswersAsync(ct);
            PartlySaved = savedAny;
            return Page();
        }
        Message = savedAny ? $"Saved: {Section.ShortTitle}, {Domain.Title}" : "No changes to save";
        return Redirect(next && Next is not null ? Next.Href : CellHref(Cell));
    }

    public string CellHref(Cell cell) => $"/reviews/{Review.Id}/cells/{cell.Id.Replace('.', '/')}";

    public IEnumerable<CheckboxOption> VoiceOptions(int index) =>
        Labels.VoiceLabels.Select(v => new CheckboxOption(
            v.Voice.ToString(),
            v.Label,
            Items[index].Voices.Contains(v.Voice)
        ));

    private async Task<bool> LoadCellAsync(
        Guid id,
        string sectionId,
        string domainId,
        CancellationToken ct
    )
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return false;
        }
        var section = Edition.FindSection(sectionId);
        var domain = Edition.FindDomain(domainId);
        var cell = Edition.FindCell(sectionId, domainId);
        if (section is null || domain is null || cell is null)
        {
            return false;
        }
        (Section, Domain, Cell) = (section, domain, cell);

        var order = Edition
            .Sections.SelectMany(s =>
                Edition.Domains.Select(d =>
                    (Section: s, Domain: d, Cell: s.Cells.First(c => c.Domain == d.Id))
                )
            )
            .ToList();
        var index = order.FindIndex(o => o.Cell.Id == cell.Id);
        CellNumber = index + 1;
        CellCount = order.Count;
        Previous =
            index > 0
                ? new(
                    CellHref(order[index - 1].Cell),
                    $"{order[index - 1].Section.ShortTitle}: {order[index - 1].Domain.Title}"
                )
                : null;
        Next =
            index < order.Count - 1
                ? new(
                    CellHref(order[index + 1].Cell),
                    $"{order[index + 1].Section.ShortTitle}: {order[index + 1].Domain.Title}"
                )
                : null;
        await LoadAnswersAsync(ct);
        Heard = await VoiceReading.ForItemsAsync(
            Db,
            Review.Id,
            cell.Items.Select(i => i.Id).ToList(),
            ct
        );
        return true;
    }

    private async Task LoadAnswersAsync(CancellationToken ct) =>
        Saved = await Db
            .Answers.AsNoTracking()
            .Where(a => a.RoundId == CurrentRound.Id && a.CellId == Cell.Id)
            .ToDictionaryAsync(a => a.ItemId, ct);
}

/// <summary>One item's part of the cell form. Kept as typed, so a form with an error comes back intact.</summary>
public sealed class ItemForm
{
    public string? ItemId { get; set; }
    public Position? Position { get; set; }
    public string? NotApplicableReason { get; set; }
    public string? Reasoning { get; set; }
    public string? Evidence { get; set; }
    public List<Voices> Voices { get; set; } = [];
    public string? Dissent { get; set; }
    public int Version { get; set; }

    public AnswerInput ToInput() =>
        new(
            Position ?? Data.Position.NotYetConsidered,
            NotApplicableReason,
            Reasoning,
            Evidence,
            Voices.Aggregate(Data.Voices.None, (all, v) => all | v),
            Dissent
        );

    public static ItemForm From(string itemId, Answer? answer) =>
        new()
        {
            ItemId = itemId,
            Position = answer?.Position ?? Data.Position.NotYetConsidered,
            NotApplicableReason = answer?.NotApplicableReason,
            Reasoning = answer?.Reasoning,
            Evidence = answer?.Evidence,
            Voices = Labels
                .VoiceLabels.Where(v => answer is not null && answer.Voices.HasFlag(v.Voice))
                .Select(v => v.Voice)
                .ToList(),
            Dissent = answer?.Dissent,
            Version = answer?.Version ?? 0,
        };
}
