using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

/// <summary>What the action form posts, kept as typed so a form with errors comes back exactly as it was.</summary>
public sealed class ActionFormInput
{
    public string? Title { get; set; }

    /// <summary>"member" or "named".</summary>
    public string? OwnerKind { get; set; }
    public string? OwnerUserId { get; set; }
    public string? OwnerName { get; set; }
    public DateParts DueDate { get; set; } = new();
    public string? Status { get; set; }
    public List<string> ItemIds { get; set; } = [];
    public int Version { get; set; }

    public static ActionFormInput From(ReviewAction action) =>
        new()
        {
            Title = action.Title,
            OwnerKind =
                action.OwnerUserId is not null ? "member"
                : action.OwnerName is not null ? "named"
                : null,
            OwnerUserId = action.OwnerUserId?.ToString(),
            OwnerName = action.OwnerName,
            DueDate = DateParts.From(action.DueDate),
            Status = action.Status.ToString(),
            ItemIds = action.ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
            Version = action.Version,
        };
}

/// <summary>The shared half of raising and editing an action: the members to choose from, and the checks.</summary>
public abstract class ActionFormModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member
) : ReviewPageModel(db, editions, member)
{
    [BindProperty]
    public ActionFormInput Input { get; set; } = new();

    public List<(Guid Id, string Name)> Members { get; private set; } = [];

    public IReadOnlyList<RadioOption> StatusOptions => Labels.ActionStatuses;

    public abstract string SubmitLabel { get; }

    /// <summary>The organisation's members, plus the action's current owner if they have since left.</summary>
    protected async Task LoadMembersAsync(Guid? currentOwner, CancellationToken ct)
    {
        Members = (
            await Db
                .Memberships.AsNoTracking()
                .Select(m => new { m.UserId, m.User!.DisplayName })
                .ToListAsync(ct)
        )
            .Select(m => (m.UserId, m.DisplayName))
            .OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (currentOwner is { } owner && Members.All(m => m.Id != owner))
        {
            // Users carry no organisation: this id comes from the organisation's own action.
            var name = await Db
                .Users.AsNoTracking()
                .Where(u => u.Id == owner)
                .Select(u => u.DisplayName)
                .SingleOrDefaultAsync(ct);
            Members.Add((owner, $"{name ?? "A former member"} (no longer a member)"));
        }
    }

    /// <summary>Checks the form; on success returns what ReviewService takes, otherwise fills ModelState.</summary>
    protected ActionInput? Validate()
    {
        var errors = new List<(string Key, string Message)>();
        Guid? ownerUserId = null;
        string? ownerName = null;
        switch (Input.OwnerKind)
        {
            case "member":
                if (
                    Guid.TryParse(Input.OwnerUserId, out var userId)
                    && Members.Any(m => m.Id == userId)
                )
                {
                    ownerUserId = userId;
                }
                else
                {
                    errors.Add(("Input.OwnerUserId", "Select the member who owns this action"));
                }
                break;
            case "named":
                if (string.IsNullOrWhiteSpace(Input.OwnerName))
                {
                    errors.Add(
                        ("Input.OwnerName", "Enter the name of the person who owns this action")
                    );
                }
                ownerName = Input.OwnerName;
                break;
            default:
                errors.Add(("Input.OwnerKind", "Select who owns this action"));
                break;
        }
        DateOnly? due = null;
        if (!Input.DueDate.IsEmpty)
        {
            due = Input.DueDate.ToDate();
            if (due is null)
            {
                errors.Add(("Input.DueDate", "Enter a real due date"));
            }
        }
        var status =
            Input.Status is { } s
            && !int.TryParse(s, out _)
            && Enum.TryParse<ActionStatus>(s, out var parsed)
                ? parsed
                : (ActionStatus)(-1);
        var input = new ActionInput(
            Input.Title,
            ownerUserId,
            ownerName,
            due,
            status,
            Input.ItemIds.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct().ToList()
        );
        errors.AddRange(
            ReviewRules
                .Check(input, Edition.Places().Keys.ToHashSet())
                .Select(e => ("Input." + e.Field, e.Message))
        );
        // One message per field: the first problem found is the one to fix first.
        foreach (var (key, message) in errors.DistinctBy(e => e.Key))
        {
            ModelState.AddModelError(key, message);
        }
        return ModelState.IsValid ? input : null;
    }

    /// <summary>The edition's cells in order, with their items ticked as the form has them.</summary>
    public IEnumerable<(Section Section, Cell Cell, string Label)> Cells =>
        Edition.Sections.SelectMany(s => s.Cells.Select(c => (s, c, Edition.CellLabel(s, c))));

    public bool Ticked(string itemId) => Input.ItemIds.Contains(itemId);

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0
            ? entry.Errors[0].ErrorMessage
            : null;
}
