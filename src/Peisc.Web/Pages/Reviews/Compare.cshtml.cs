using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Pages.Reviews;

/// <summary>What changed between two rounds: each item's position and reasoning, and the actions opened and closed.</summary>
public sealed class CompareModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    TimeProvider clock
) : ReviewPageModel(db, editions, member)
{
    public sealed record Side(Position Position, string? Reasoning);

    public sealed record ItemChange(ItemPlace Place, Side Before, Side After)
    {
        public bool PositionChanged => Before.Position != After.Position;
        public bool ReasoningChanged => Before.Reasoning != After.Reasoning;
    }

    [FromQuery(Name = "from")]
    public string? FromText { get; set; }

    [FromQuery(Name = "to")]
    public string? ToText { get; set; }

    public List<Round> Rounds { get; private set; } = [];
    public Round? From { get; private set; }
    public Round? To { get; private set; }
    public List<ItemChange> Changed { get; private set; } = [];
    public int Unchanged { get; private set; }
    public List<ActionRow> Opened { get; private set; } = [];
    public List<ActionRow> Closed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        Rounds = await Db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == id)
            .OrderBy(r => r.Number)
            .ToListAsync(ct);

        // Without numbers, compare the latest round with the one before it.
        var to = ToText is null ? Review.CurrentRoundNumber : Number(ToText);
        var from = FromText is null ? to - 1 : Number(FromText);
        if (FromText is null && ToText is null && Rounds.Count < 2)
        {
            return Page();
        }
        From = Rounds.SingleOrDefault(r => r.Number == from);
        To = Rounds.SingleOrDefault(r => r.Number == to);
        if (From is null || To is null)
        {
            return NotFound();
        }
        if (from > to)
        {
            return Redirect($"/reviews/{id}/compare?from={to}&to={from}");
        }
        if (from == to)
        {
            return Page();
        }

        var answers = await Db
            .Answers.AsNoTracking()
            .Where(a => a.ReviewId == id && (a.RoundId == From.Id || a.RoundId == To.Id))
            .Select(a => new
            {
                a.RoundId,
                a.ItemId,
                a.Position,
                a.Reasoning,
            })
            .ToListAsync(ct);
        var before = answers
            .Where(a => a.RoundId == From.Id)
            .ToDictionary(a => a.ItemId, a => new Side(a.Position, a.Reasoning));
        var after = answers
            .Where(a => a.RoundId == To.Id)
            .ToDictionary(a => a.ItemId, a => new Side(a.Position, a.Reasoning));
        var blank = new Side(Position.NotYetConsidered, null);
        foreach (var place in Edition.Places().Values)
        {
            var change = new ItemChange(
                place,
                before.GetValueOrDefault(place.Item.Id, blank),
                after.GetValueOrDefault(place.Item.Id, blank)
            );
            if (change.PositionChanged || change.ReasoningChanged)
            {
                Changed.Add(change);
            }
            else
            {
                Unchanged++;
            }
        }

        var actions = await ActionRows.LoadAsync(
            Db,
            id,
            Edition,
            ActionRows.Today(clock),
            q =>
                q.Where(a =>
                    (a.OpenedInRound > from && a.OpenedInRound <= to)
                    || (a.ClosedInRound > from && a.ClosedInRound <= to)
                ),
            ct
        );
        Opened = actions
            .Where(a => a.OpenedInRound > from && a.OpenedInRound <= to)
            .OrderBy(a => a.CreatedAt)
            .ToList();
        Closed = actions
            .Where(a => a.ClosedInRound > from && a.ClosedInRound <= to)
            .OrderBy(a => a.CreatedAt)
            .ToList();
        return Page();
    }

    /// <summary>The rounds after "from" up to and including "to": where opened and closed actions are counted.</summary>
    public string Span =>
        To!.Number - From!.Number == 1
            ? $"round {To.Number}"
            : $"rounds {From.Number + 1} to {To.Number}";

    public string RoundName(Round round) => $"Round {round.Number} ({StageName(round.StageId)})";

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
