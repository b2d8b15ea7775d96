using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Reviews;

/// <summary>Where an item sits in its edition: the section and cell it belongs to, and its links.</summary>
public sealed record ItemPlace(Section Section, Cell Cell, Item Item, string CellLabel)
{
    public string CellUrl(Guid reviewId) => $"/reviews/{reviewId}/cells/{Section.Id}/{Cell.Domain}";

    public string ItemUrl(Guid reviewId) => $"{CellUrl(reviewId)}#item-{Item.Id}";

    public string HistoryUrl(Guid reviewId) => $"/reviews/{reviewId}/items/{Item.Id}/history";
}

public static class EditionItems
{
    // Editions never change once loaded, so each one's index is built once and kept beside it.
    private static readonly ConditionalWeakTable<
        FrameworkEdition,
        IReadOnlyDictionary<string, ItemPlace>
    > Indexes = new();

    /// <summary>Every item of the edition in the framework's order, keyed by its id.</summary>
    public static IReadOnlyDictionary<string, ItemPlace> Places(this FrameworkEdition edition) =>
        Indexes.GetValue(edition, Build);

    // A route value of only spaces ("/items/%20/...") binds as null despite the annotation: no such item.
    public static ItemPlace? FindItem(this FrameworkEdition edition, string? itemId) =>
        itemId is null ? null : edition.Places().GetValueOrDefault(itemId);

    public static string CellLabel(this FrameworkEdition edition, Section section, Cell cell) =>
        $"{section.ShortTitle}: {edition.FindDomain(cell.Domain)?.Title ?? cell.Domain}";

    private static IReadOnlyDictionary<string, ItemPlace> Build(FrameworkEdition edition)
    {
        // Insertion order is the framework's order; pages rely on it when they list items.
        var places = new Dictionary<string, ItemPlace>();
        foreach (var section in edition.Sections)
        {
            foreach (var cell in section.Cells)
            {
                var label = edition.CellLabel(section, cell);
                foreach (var item in cell.Items)
                {
                    places[item.Id] = new ItemPlace(section, cell, item, label);
                }
            }
        }
        return places;
    }
}

/// <summary>One action as the review's pages show it: the owner's name resolved, the items placed.</summary>
public sealed record ActionRow(
    Guid Id,
    string Title,
    string Owner,
    string OwnerKey,
    DateOnly? Due,
    ActionStatus Status,
    bool Overdue,
    IReadOnlyList<ItemPlace> Items,
    int OpenedInRound,
    int? ClosedInRound,
    DateTime CreatedAt
);

public static class ActionRows
{
    public static bool IsOpen(ActionStatus status) =>
        status is ActionStatus.Open or ActionStatus.InProgress;

    /// <summary>Due before today (UTC) and still open or in progress.</summary>
    public static bool IsOverdue(DateTime? due, ActionStatus status, DateOnly today) =>
        due is { } date && DateOnly.FromDateTime(date) < today && IsOpen(status);

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static string TagClass(ActionStatus status) =>
        status switch
        {
            ActionStatus.Open => "govuk-tag--blue",
            ActionStatus.InProgress => "govuk-tag--yellow",
            ActionStatus.Done => "govuk-tag--green",
            _ => "govuk-tag--grey",
        };

    public static string Day(DateOnly date) =>
        date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Day(DateTime date) => Day(DateOnly.FromDateTime(date));

    public static string Time(DateTime utc) =>
        utc.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The review's actions (optionally narrowed), read without tracking.</summary>
    public static async Task<List<ActionRow>> LoadAsync(
        AppDbContext db,
        Guid reviewId,
        FrameworkEdition edition,
        DateOnly today,
        Func<IQueryable<ReviewAction>, IQueryable<ReviewAction>>? narrow = null,
        CancellationToken ct = default
    )
    {
        var query = db.Actions.AsNoTracking().Where(a => a.ReviewId == reviewId);
        var actions = await (narrow is null ? query : narrow(query)).ToListAsync(ct);
        var ownerIds = actions
            .Where(a => a.OwnerUserId is not null)
            .Select(a => a.OwnerUserId!.Value)
            .Distinct()
            .ToList();
        // Users carry no organisation: these ids come from this organisation's own actions.
        var names =
            ownerIds.Count == 0
                ? []
                : await db
                    .Users.AsNoTracking()
                    .Where(u => ownerIds.Contains(u.Id))
                    .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return actions
            .Select(a => new ActionRow(
                a.Id,
                a.Title,
                a.OwnerUserId is { } userId
                    ? names.GetValueOrDefault(userId, "A former member")
                    : a.OwnerName ?? "No owner",
                a.OwnerUserId is { } key ? $"member:{key}"
                    : a.OwnerName is { } name ? $"named:{name}"
                    : "none",
                a.DueDate is { } due ? DateOnly.FromDateTime(due) : null,
                a.Status,
                IsOverdue(a.DueDate, a.Status, today),
                a.ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(edition.FindItem)
                    .OfType<ItemPlace>()
                    .ToList(),
                a.OpenedInRound,
                a.ClosedInRound,
                a.CreatedAt
            ))
            .ToList();
    }
}

/// <summary>An action table as the summary and comparison pages show it.</summary>
public sealed record ActionTable(
    Guid ReviewId,
    string Id,
    string Caption,
    IReadOnlyList<ActionRow> Rows,
    bool LinkTitles
);

public static class ReviewText
{
    /// <summary>Free text as paragraphs: the line breaks people typed, without a style attribute.</summary>
    public static IEnumerable<string> Paragraphs(string? text) =>
        (text ?? "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0);
}
