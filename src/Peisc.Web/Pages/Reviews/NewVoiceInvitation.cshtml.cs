using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Reviews;

/// <summary>A facilitator invites a person or group with lived experience to answer chosen items.</summary>
public sealed class NewVoiceInvitationModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    VoiceService voices,
    TimeProvider clock
) : ReviewPageModel(db, editions, member)
{
    [BindProperty]
    public VoiceInvitationForm Input { get; set; } = new();

    /// <summary>Set once the invitation is made: its link, shown on this response only.</summary>
    public string? Link { get; private set; }
    public VoiceInvitation? Created { get; private set; }

    public IEnumerable<RadioOption> GroupOptions =>
        VoiceService.Groups.Select(g => new RadioOption(g.Group.ToString(), g.Label));

    public IEnumerable<(Section Section, Cell Cell, string Label)> Cells =>
        Edition.Sections.SelectMany(s => s.Cells.Select(c => (s, c, Edition.CellLabel(s, c))));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanFacilitate || Review.ArchivedAt is not null)
        {
            return Denied();
        }
        Input = new VoiceInvitationForm
        {
            ConsentStatement = VoiceService.DefaultConsentStatement,
            ExpiresOn = DateParts.From(clock.GetUtcNow().UtcDateTime.Date.AddDays(14)),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct: ct))
        {
            return NotFound();
        }
        if (!CanFacilitate || Review.ArchivedAt is not null)
        {
            return Denied();
        }
        ModelState.Clear();
        var group =
            Input.Group is { } g
            && !int.TryParse(g, out _)
            && Enum.TryParse<Voices>(g, out var parsed)
                ? parsed
                : Voices.None;
        // Kept in the framework's order, whatever order the form posted them in.
        var places = Edition.Places();
        var chosen = Input.ItemIds.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct().ToList();
        var ordered = places.Keys.Where(chosen.Contains).ToList();
        var input = new VoiceInvitationInput(
            group,
            Input.PublicName,
            chosen.Count == ordered.Count ? ordered : chosen,
            Input.ExpiresOn.ToDate(),
            Input.ConsentStatement,
            Input.SafeguardingContact,
            Input.Email
        );
        foreach (var error in voices.Check(input, places.Keys.ToHashSet()))
        {
            ModelState.AddModelError("Input." + error.Field, error.Message);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        (Created, Link) = await voices.CreateAsync(
            Review,
            input,
            $"{Request.Scheme}://{Request.Host}",
            ct
        );
        return Page();
    }

    public bool Ticked(string itemId) => Input.ItemIds.Contains(itemId);

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0
            ? entry.Errors[0].ErrorMessage
            : null;
}

/// <summary>The invitation form as typed, so a form with errors comes back intact.</summary>
public sealed class VoiceInvitationForm
{
    public string? Group { get; set; }
    public string? PublicName { get; set; }
    public List<string> ItemIds { get; set; } = [];
    public DateParts ExpiresOn { get; set; } = new();
    public string? ConsentStatement { get; set; }
    public string? SafeguardingContact { get; set; }
    public string? Email { get; set; }
}
