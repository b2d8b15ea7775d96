using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;

namespace Peisc.Web.Pages.Organisation;

/// <summary>A facilitator or owner changes one item's plain-language question for their organisation, or goes back to ours.</summary>
public sealed class PlainLanguageItemModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    PlainLanguageCatalog ours,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    [BindProperty]
    public string? Text { get; set; }

    public Item Item { get; private set; } = default!;
    public string Ours { get; private set; } = "";
    public bool Edited { get; private set; }
    public FrameworkEdition Edition => catalog.Default;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string itemId, CancellationToken ct)
    {
        if (await LoadAsync(itemId, ct) is not { } result)
        {
            return Page();
        }
        return result;
    }

    public async Task<IActionResult> OnPostAsync(string itemId, CancellationToken ct)
    {
        var posted = Text;
        if (await LoadAsync(itemId, ct) is { } refused)
        {
            return refused;
        }
        Text = posted?.Trim();
        if (string.IsNullOrWhiteSpace(Text))
        {
            ModelState.AddModelError(nameof(Text), "Enter the plain-language question");
        }
        else if (Text.Length > VoiceLimits.PlainLanguage)
        {
            ModelState.AddModelError(
                nameof(Text),
                $"The question must be {VoiceLimits.PlainLanguage} characters or fewer"
            );
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // Saved by two people at once, the later wording stands (RacedInsert).
        await db.OnceMoreIfRacedAsync(
            async () =>
            {
                var own = await db.PlainLanguageTexts.SingleOrDefaultAsync(
                    p => p.ItemId == Item.Id,
                    ct
                );
                if (own is null)
                {
                    own = new PlainLanguageText
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = member.OrganisationId!.Value,
                        ItemId = Item.Id,
                        Text = Text!,
                    };
                    db.PlainLanguageTexts.Add(own);
                }
                own.Text = Text!;
                own.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                own.UpdatedByUserId = member.UserId!.Value;
                audit.Add(
                    AuditActions.PlainLanguageChanged,
                    nameof(PlainLanguageText),
                    Item.Id,
                    $"Plain-language question for {Item.Id} changed"
                );
                await db.SaveChangesAsync(ct);
            },
            ct
        );
        Message = "Plain-language question saved";
        return Redirect($"/organisation/plain-language#plain-{Item.Id}");
    }

    public async Task<IActionResult> OnPostResetAsync(string itemId, CancellationToken ct)
    {
        if (await LoadAsync(itemId, ct) is { } refused)
        {
            return refused;
        }
        var removed = await db
            .PlainLanguageTexts.Where(p => p.ItemId == Item.Id)
            .ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            await audit.WriteAsync(
                AuditActions.PlainLanguageChanged,
                nameof(PlainLanguageText),
                Item.Id,
                $"Plain-language question for {Item.Id} back to ours"
            );
        }
        return Redirect($"/organisation/plain-language#plain-{Item.Id}");
    }

    /// <summary>Null when the page may go ahead; otherwise the answer to give.</summary>
    private async Task<IActionResult?> LoadAsync(string itemId, CancellationToken ct)
    {
        if (member.OrganisationId is null)
        {
            return NotFound();
        }
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        var item = Edition.AllCells.SelectMany(c => c.Items).FirstOrDefault(i => i.Id == itemId);
        if (item is null || ours.Ours(item.Id) is not { } text)
        {
            return NotFound();
        }
        Item = item;
        Ours = text;
        var own = await db
            .PlainLanguageTexts.AsNoTracking()
            .Where(p => p.ItemId == item.Id)
            .Select(p => p.Text)
            .SingleOrDefaultAsync(ct);
        Edited = own is not null;
        Text = own ?? text;
        return null;
    }
}
