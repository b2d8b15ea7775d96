using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>Where the review stands in its current round: concerns, gaps, overdue actions, missing voices.</summary>
public sealed class SummaryModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    TimeProvider clock
) : ReviewPageModel(db, editions, member)
{
    public sealed record ConcernRow(
        ItemPlace Place,
        string? Reasoning,
        string? Dissent,
        int OpenActions
    );

    public List<ConcernRow> Concerns { get; private set; } = [];
    public List<IGrouping<string, ItemPlace>> NotConsidered { get; private set; } = [];
    public int NotConsideredCount { get; private set; }
    public int ConsideredCount { get; private set; }
    public int ItemCount { get; private set; }
    public List<ActionRow> Overdue { get; private set; } = [];
    public List<Section> SectionsWithoutVoices { get; private set; } = [];

    /// <summary>Items that people with lived experience answered, with how many answered each, in framework order.</summary>
    public List<(ItemPlace Place, int Count)> HeardItems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        var answers = await Db
            .Answers.AsNoTracking()
            .Where(a => a.ReviewId == id && a.RoundId == Review.CurrentRoundId)
            .Select(a => new
            {
                a.ItemId,
                a.Position,
                a.Reasoning,
                a.Dissent,
                a.Voices,
            })
            .ToListAsync(ct);
        var byItem = answers.ToDictionary(a => a.ItemId);
        var places = Edition.Places();
        ItemCount = places.Count;

        var today = ActionRows.Today(clock);
        var open = await ActionRows.LoadAsync(
            Db,
            id,
            Edition,
            today,
            q => q.Where(a => a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress),
            ct
        );
        var openByItem = open.SelectMany(a => a.Items.Select(p => p.Item.Id))
            .GroupBy(i => i)
            .ToDictionary(g => g.Key, g => g.Count());
        Overdue = open.Where(a => a.Overdue).OrderBy(a => a.Due).ThenBy(a => a.CreatedAt).ToList();

        // Framework order throughout: the places are listed section by section, cell by cell.
        Concerns = places
            .Values.Where(p =>
                byItem.TryGetValue(p.Item.Id, out var a) && a.Position == Position.Concern
            )
            .Select(p => new ConcernRow(
                p,
                byItem[p.Item.Id].Reasoning,
                byItem[p.Item.Id].Dissent,
                openByItem.GetValueOrDefault(p.Item.Id)
            ))
            .ToList();
        var untouched = places
            .Values.Where(p =>
                !byItem.TryGetValue(p.Item.Id, out var a) || a.Position == Position.NotYetConsidered
            )
            .ToList();
        NotConsideredCount = untouched.Count;
        ConsideredCount = ItemCount - untouched.Count;
        NotConsidered = untouched.GroupBy(p => p.CellLabel).ToList();
        // Contributions through lived-experience invitations are voices heard too.
        var heard = await VoiceReading.CountsByItemAsync(Db, id, ct);
        HeardItems = places
            .Values.Where(p => heard.ContainsKey(p.Item.Id))
            .Select(p => (p, heard[p.Item.Id]))
            .ToList();
        SectionsWithoutVoices = Edition
            .Sections.Where(s =>
                !places.Values.Any(p =>
                    p.Section.Id == s.Id
                    && (
                        (
                            byItem.TryGetValue(p.Item.Id, out var a)
                            && (a.Voices & Voices.PeopleWhoUseServices) != 0
                        ) || heard.ContainsKey(p.Item.Id)
                    )
                )
            )
            .ToList();
        return Page();
    }
}
