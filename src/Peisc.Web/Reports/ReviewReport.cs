using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>One item of the framework with the team's answer in the report's round (null: not answered yet).</summary>
public sealed record ReportItem(ItemPlace Place, Answer? Answer)
{
    public Position Position => Answer?.Position ?? Position.NotYetConsidered;
}

/// <summary>A cell of the grid: how many of its items are considered, and where they stand.</summary>
public sealed record GridCell(
    Section Section,
    Domain Domain,
    Cell Cell,
    IReadOnlyList<ReportItem> Items
)
{
    public int Considered => Items.Count(i => i.Position != Position.NotYetConsidered);

    public int Count(Position position) => Items.Count(i => i.Position == position);
}

public sealed record ReportConcern(ReportItem Item, int OpenActions, int OverdueActions);

public sealed record ReportChange(ItemPlace Place, ReportItem Before, ReportItem After);

/// <summary>Everything the board report, the summary and the spreadsheets say about one round of a review.</summary>
public sealed class ReviewReport
{
    public required Review Review { get; init; }
    public required FrameworkEdition Edition { get; init; }
    public required string OrganisationName { get; init; }
    public required Round Round { get; init; }
    public Round? Previous { get; init; }
    public required IReadOnlyList<Round> Rounds { get; init; }
    public required DateTime GeneratedAt { get; init; }
    public required DateOnly Today { get; init; }

    /// <summary>The people who changed answers in this round or an earlier one, by name.</summary>
    public required IReadOnlyList<string> Participants { get; init; }

    /// <summary>Every item of the edition in the framework's order.</summary>
    public required IReadOnlyList<ReportItem> Items { get; init; }

    /// <summary>The previous round's answers, keyed by item id (empty in the first round).</summary>
    public required IReadOnlyDictionary<string, ReportItem> PreviousItems { get; init; }

    public required IReadOnlyList<ActionRow> Actions { get; init; }

    /// <summary>What people with lived experience told the team, by item (contributions belong to the review, not a round).</summary>
    public IReadOnlyDictionary<string, List<HeardVoice>> LivedExperience { get; init; } =
        new Dictionary<string, List<HeardVoice>>();

    public IReadOnlyList<HeardVoice> LivedExperienceOn(Item item) =>
        LivedExperience.GetValueOrDefault(item.Id) ?? [];

    public bool IsCurrentRound => Round.Id == Review.CurrentRoundId;

    public string StageName(string stageId) =>
        Edition.Stages.FirstOrDefault(s => s.Id == stageId)?.Name ?? stageId;

    public string Stage => StageName(Round.StageId);

    public string? Situation =>
        Edition.Situations.FirstOrDefault(s => s.Id == Review.SituationId)?.Text;

    public int Considered => Items.Count(i => i.Position != Position.NotYetConsidered);

    public Voices VoicesHeard =>
        Items.Aggregate(Voices.None, (all, i) => all | (i.Answer?.Voices ?? Voices.None));

    public IReadOnlyList<GridCell> Grid =>
        _grid ??= [
            .. Edition.Sections.SelectMany(section =>
                section.Cells.Select(cell => new GridCell(
                    section,
                    Edition.FindDomain(cell.Domain) ?? new Domain(cell.Domain, cell.Domain, null),
                    cell,
                    Items.Where(i => i.Place.Cell.Id == cell.Id).ToList()
                ))
            ),
        ];
    private IReadOnlyList<GridCell>? _grid;

    public IEnumerable<ActionRow> OpenActions =>
        Actions
            .Where(a => ActionRows.IsOpen(a.Status))
            .OrderBy(a => a.Due is null)
            .ThenBy(a => a.Due)
            .ThenBy(a => a.CreatedAt);

    /// <summary>
    /// The concerns, most serious first: a concern nobody has an open action on, then one whose
    /// actions are overdue, then the rest; in the framework's order within each.
    /// </summary>
    public IReadOnlyList<ReportConcern> Concerns =>
        _concerns ??= [
            .. Items
                .Where(i => i.Position == Position.Concern)
                .Select(i =>
                {
                    var open = OpenActions
                        .Where(a => a.Items.Any(p => p.Item.Id == i.Place.Item.Id))
                        .ToList();
                    return new ReportConcern(i, open.Count, open.Count(a => a.Overdue));
                })
                .Select((c, order) => (c, order))
                .OrderBy(x =>
                    x.c.OpenActions == 0 ? 0
                    : x.c.OverdueActions > 0 ? 1
                    : 2
                )
                .ThenBy(x => x.order)
                .Select(x => x.c),
        ];
    private IReadOnlyList<ReportConcern>? _concerns;

    /// <summary>Items whose position or reasoning changed since the previous round.</summary>
    public IReadOnlyList<ReportChange> Changes =>
        Previous is null
            ? []
            :
            [
                .. Items
                    .Select(i => new ReportChange(
                        i.Place,
                        PreviousItems.GetValueOrDefault(i.Place.Item.Id)
                            ?? new ReportItem(i.Place, null),
                        i
                    ))
                    .Where(c =>
                        c.Before.Position != c.After.Position
                        || c.Before.Answer?.Reasoning != c.After.Answer?.Reasoning
                    ),
            ];

    public IEnumerable<ActionRow> OpenedThisRound =>
        Actions.Where(a => a.OpenedInRound == Round.Number && Previous is not null);

    public IEnumerable<ActionRow> ClosedThisRound =>
        Actions.Where(a => a.ClosedInRound == Round.Number);
}

/// <summary>Reads a review's round for a report, through the tenant filter: another organisation's review is not found.</summary>
public sealed class ReviewReportReader(
    AppDbContext db,
    EditionResolver editions,
    TimeProvider clock
)
{
    /// <summary>Null when the organisation has no such review, or the review no such round.</summary>
    public async Task<ReviewReport?> ReadAsync(
        Guid reviewId,
        int? roundNumber,
        CancellationToken ct
    )
    {
        var review = await db
            .Reviews.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return null;
        }
        var rounds = await db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == reviewId)
            .OrderBy(r => r.Number)
            .ToListAsync(ct);
        var round = roundNumber is { } n
            ? rounds.SingleOrDefault(r => r.Number == n)
            : rounds.SingleOrDefault(r => r.Id == review.CurrentRoundId);
        if (round is null)
        {
            return null;
        }
        var previous = rounds.LastOrDefault(r => r.Number < round.Number);
        var edition = await editions.GetAsync(review.EditionId, ct);
        var organisation = await db
            .Organisations.AsNoTracking()
            .Where(o => o.Id == review.OrganisationId)
            .Select(o => o.Name)
            .SingleAsync(ct);

        var roundIds = previous is null ? [round.Id] : new[] { round.Id, previous.Id };
        var answers = await db
            .Answers.AsNoTracking()
            .Where(a => a.ReviewId == reviewId && roundIds.Contains(a.RoundId))
            .ToListAsync(ct);
        var places = edition.Places().Values;
        var current = answers.Where(a => a.RoundId == round.Id).ToDictionary(a => a.ItemId);
        var before = answers.Where(a => a.RoundId == previous?.Id).ToDictionary(a => a.ItemId);

        var upTo = rounds.Where(r => r.Number <= round.Number).Select(r => r.Id).ToList();
        var changers = await db
            .AnswerChanges.AsNoTracking()
            .Where(c => c.ReviewId == reviewId && upTo.Contains(c.RoundId))
            .Select(c => new { c.ChangedByUserId, c.ChangedByName })
            .Distinct()
            .ToListAsync(ct);
        var userIds = changers.Select(c => c.ChangedByUserId).Distinct().ToList();
        // Users carry no organisation: these ids come from this organisation's own answer history.
        var names = await db
            .Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var participants = changers
            .Select(c => names.GetValueOrDefault(c.ChangedByUserId) ?? c.ChangedByName)
            .OfType<string>()
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.CurrentCulture)
            .ToList();

        var today = ActionRows.Today(clock);
        var actions = await ActionRows.LoadAsync(db, reviewId, edition, today, ct: ct);
        var livedExperience = await VoiceReading.ForItemsAsync(
            db,
            reviewId,
            [.. places.Select(p => p.Item.Id)],
            ct
        );
        return new ReviewReport
        {
            Review = review,
            Edition = edition,
            OrganisationName = organisation,
            Round = round,
            Previous = previous,
            Rounds = rounds,
            GeneratedAt = clock.GetUtcNow().UtcDateTime,
            Today = today,
            Participants = participants,
            Items =
            [
                .. places.Select(p => new ReportItem(p, current.GetValueOrDefault(p.Item.Id))),
            ],
            PreviousItems = places
                .Where(p => before.ContainsKey(p.Item.Id))
                .ToDictionary(p => p.Item.Id, p => new ReportItem(p, before[p.Item.Id])),
            Actions = [.. actions.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)],
            LivedExperience = livedExperience,
        };
    }
}
