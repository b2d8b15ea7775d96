using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Workshops;

/// <summary>
/// What every page of one live session needs: the session, its review and edition (all through the
/// tenant filter, so another organisation's session is simply not found) and the current item.
/// </summary>
public abstract class WorkshopPageModel(
    AppDbContext db,
    EditionResolver editions,
    WorkshopService workshops,
    WatchTokens tokens,
    TimeProvider clock
) : PageModel
{
    protected AppDbContext Db => db;
    protected WorkshopService Workshops => workshops;

    public WorkshopSession Session { get; private set; } = default!;
    public Review Review { get; private set; } = default!;
    public FrameworkEdition Edition { get; private set; } = default!;
    public Cell Cell { get; private set; } = default!;
    public Item Item { get; private set; } = default!;
    public Section Section { get; private set; } = default!;
    public Tally Tally { get; private set; } = default!;
    public string WatchToken { get; private set; } = "";
    public bool Active => workshops.IsActive(Session);

    public static IReadOnlyList<RadioOption> PositionOptions { get; } =
        WorkshopService.Choices.Select(p => new RadioOption(p.ToString(), Labels.Of(p))).ToList();

    public string JoinCode => WorkshopService.DisplayCode(Session.JoinCode);

    public string JoinUrl => $"{Request.Scheme}://{Request.Host}/join";

    public string ItemHeading => $"Item {Session.CurrentIndex + 1} of {Session.Items.Count}";

    public string DomainTitle => Edition.FindDomain(Cell.Domain)?.Title ?? Cell.Domain;

    /// <summary>Whole seconds left on the timer, or null when none runs.</summary>
    public int? SecondsLeft =>
        Session.TimerEndsAt is { } ends
            ? Math.Max(0, (int)Math.Ceiling((ends - clock.GetUtcNow().UtcDateTime).TotalSeconds))
            : null;

    public static string Clock(int seconds) => $"{seconds / 60}:{seconds % 60:00}";

    protected async Task<bool> LoadAsync(
        Guid id,
        bool track,
        string subject,
        bool screen,
        CancellationToken ct
    )
    {
        var query = track ? db.WorkshopSessions : db.WorkshopSessions.AsNoTracking();
        var session = await query.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null)
        {
            return false;
        }
        var review = await db
            .Reviews.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == session.ReviewId, ct);
        if (review is null)
        {
            return false;
        }
        Session = session;
        Review = review;
        Edition = await editions.GetAsync(review.EditionId, ct);
        var found =
            WorkshopService.Find(Edition, session.CurrentItemId)
            ?? throw new InvalidOperationException(
                $"Item {session.CurrentItemId} is not in {Edition.Id}."
            );
        (Cell, Item) = found;
        Section = Edition.Sections.Single(s => s.Cells.Contains(Cell));
        Tally = await workshops.TallyAsync(session.Id, session.CurrentItemId, ct);
        WatchToken = tokens.Create(session.Id, subject, screen);
        return true;
    }
}
