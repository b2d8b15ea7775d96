using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Web.Govuk;

namespace Peisc.Web.Pages.Account;

/// <summary>A person's API access tokens for the organisation they are working in.</summary>
public sealed class TokensModel(
    AppDbContext db,
    CurrentMember member,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    public sealed record TokenRow(
        Guid Id,
        string Name,
        string Prefix,
        DateTime CreatedAt,
        DateTime ExpiresAt,
        DateTime? LastUsedAt,
        bool Expired
    );

    public static IReadOnlyList<RadioOption> Lifetimes { get; } =
        PersonalAccessTokens
            .LifetimesInDays.Select(d => new RadioOption(
                d.ToString(System.Globalization.CultureInfo.InvariantCulture),
                d == 365 ? "1 year" : $"{d} days"
            ))
            .ToList();

    [BindProperty]
    public TokenInput Input { get; set; } = new();

    public List<TokenRow> Tokens { get; private set; } = [];
    public string? OrganisationName => member.OrganisationName;

    /// <summary>The token just created: shown in this one response and never again.</summary>
    public string? NewToken { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (Refused() is { } refused)
        {
            return refused;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Refused() is { } refused)
        {
            return refused;
        }
        if (Input.LifetimeDays is { } days && !PersonalAccessTokens.LifetimesInDays.Contains(days))
        {
            ModelState.AddModelError("Input.LifetimeDays", TokenInput.LifetimeMissing);
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var created = PersonalAccessTokens.Create();
        var token = new AccessToken
        {
            Id = Guid.NewGuid(),
            UserId = member.UserId!.Value,
            OrganisationId = member.OrganisationId!.Value,
            Name = Input.Name!.Trim(),
            TokenHash = created.Hash,
            Prefix = created.Prefix,
            CreatedAt = now,
            ExpiresAt = now.AddDays(Input.LifetimeDays!.Value),
        };
        db.AccessTokens.Add(token);
        audit.Add(
            AuditActions.TokenCreated,
            nameof(AccessToken),
            token.Id.ToString(),
            $"Access token '{token.Name}' ({token.Prefix}) created, expires {token.ExpiresAt:yyyy-MM-dd}"
        );
        await db.SaveChangesAsync();

        NewToken = created.Token;
        ModelState.Clear();
        Input = new TokenInput();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        if (Refused() is { } refused)
        {
            return refused;
        }
        var token = await db.AccessTokens.SingleOrDefaultAsync(t =>
            t.Id == id
            && t.UserId == member.UserId
            && t.OrganisationId == member.OrganisationId
            && t.RevokedAt == null
        );
        if (token is null)
        {
            return NotFound();
        }
        token.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(
            AuditActions.TokenRevoked,
            nameof(AccessToken),
            token.Id.ToString(),
            $"Access token '{token.Name}' ({token.Prefix}) revoked"
        );
        await db.SaveChangesAsync();
        Message = $"The token '{token.Name}' has been revoked: it no longer works";
        return RedirectToPage();
    }

    // Tokens act for one organisation, and never get round its two-factor rule.
    private IActionResult? Refused() =>
        member.OrganisationId is null ? NotFound()
        : member.TwoFactorRequiredButMissing ? Redirect("/account/two-factor")
        : null;

    private async Task LoadAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Tokens = await db
            .AccessTokens.AsNoTracking()
            .Where(t =>
                t.UserId == member.UserId
                && t.OrganisationId == member.OrganisationId
                && t.RevokedAt == null
            )
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenRow(
                t.Id,
                t.Name,
                t.Prefix,
                t.CreatedAt,
                t.ExpiresAt,
                t.LastUsedAt,
                t.ExpiresAt <= now
            ))
            .ToListAsync();
    }
}

public sealed class TokenInput
{
    public const string LifetimeMissing = "Select how long the token will work for";

    [Required(ErrorMessage = "Enter a name for the token")]
    [StringLength(100, ErrorMessage = "Name must be 100 characters or fewer")]
    public string? Name { get; set; }

    [Required(ErrorMessage = LifetimeMissing)]
    public int? LifetimeDays { get; set; }
}
