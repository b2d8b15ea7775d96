using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;

namespace Peisc.Web.Pages.LivedExperience;

public enum ContributeMode
{
    Form,
    Submitted,
    Withdrawn,
    Gone,
}

/// <summary>
/// The page a person with lived experience opens from their link, with no account. It shows only
/// what the facilitator chose: the innovation's public name and the chosen questions.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(LivedExperienceSetup.AnonymousPosts)]
public sealed class ContributeModel(
    VoiceService voices,
    PlainLanguage plainLanguage,
    AppDbContext db,
    EditionResolver editions
) : PageModel
{
    [BindProperty]
    public ContributeInput Input { get; set; } = new();

    public VoiceInvitation? Invitation { get; private set; }
    public LinkState State { get; private set; }
    public ContributeMode Mode { get; private set; }
    public FrameworkEdition? Edition { get; private set; }
    public List<PlainQuestion> Questions { get; private set; } = [];
    public Dictionary<string, string> FrameworkText { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return Page();
        }
        Mode = await MineAsync(ct) is null ? ContributeMode.Form : ContributeMode.Submitted;
        Input.Answers = Questions.Select(_ => (string?)null).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return Page();
        }
        if (await MineAsync(ct) is not null)
        {
            Mode = ContributeMode.Submitted;
            return Page();
        }
        Mode = ContributeMode.Form;
        // Binding messages are replaced by plain ones below.
        ModelState.Clear();
        if (!Input.Agree)
        {
            ModelState.AddModelError(
                "Input.Agree",
                "Tick the box to say you agree, if you want to take part"
            );
        }
        if (Input.Name is { Length: > VoiceLimits.Name })
        {
            ModelState.AddModelError(
                "Input.Name",
                $"Your name must be {VoiceLimits.Name} characters or fewer"
            );
        }
        if (Input.Answers.Count > Questions.Count)
        {
            return BadRequest();
        }
        var answers = new Dictionary<string, string>();
        for (var i = 0; i < Questions.Count; i++)
        {
            var text = i < Input.Answers.Count ? Input.Answers[i] : null;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (text.Trim().Length > VoiceLimits.Answer)
            {
                ModelState.AddModelError(
                    $"Input.Answers[{i}]",
                    $"Your answer to question {i + 1} must be {VoiceLimits.Answer} characters or fewer"
                );
            }
            answers[Questions[i].ItemId] = text;
        }
        if (answers.Count == 0 && ModelState.IsValid)
        {
            ModelState.AddModelError("Input.Answers[0]", "Answer at least one question");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var saved = await voices.SubmitAsync(Invitation!, Input.Name, answers, ct);
        if (saved is not { } done)
        {
            ModelState.AddModelError(
                "Input.Answers[0]",
                "This link has had as many answers as it can take. Contact the person who sent it to you"
            );
            return Page();
        }
        Response.Cookies.Append(
            CookieName,
            done.WithdrawKey,
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = Request.IsHttps,
                Path = "/voices",
                Expires = Invitation!.ExpiresAt,
                IsEssential = true,
            }
        );
        return Redirect($"/voices/{token}");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return Page();
        }
        if (await MineAsync(ct) is { } mine)
        {
            await voices.WithdrawAsync(mine, ct);
        }
        Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/voices" });
        Mode = ContributeMode.Withdrawn;
        return Page();
    }

    private string CookieName => $"peisc-voice-{Invitation!.Id:N}";

    private Task<VoiceContribution?> MineAsync(CancellationToken ct) =>
        voices.FindContributionAsync(Invitation!, Request.Cookies[CookieName], ct);

    /// <summary>False when the link does not open: the page then says so, with 404 or 410.</summary>
    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        // What the person writes is theirs: never kept by a shared computer's browser cache.
        Response.Headers.CacheControl = "no-store";
        var (invitation, state) = await voices.FindByTokenAsync(token, ct);
        State = state;
        if (invitation is null || state != LinkState.Live)
        {
            Mode = ContributeMode.Gone;
            Response.StatusCode =
                state == LinkState.Unknown
                    ? StatusCodes.Status404NotFound
                    : StatusCodes.Status410Gone;
            return false;
        }
        // FindByTokenAsync now acts for the invitation's organisation: these reads are filtered to it.
        var review = await db
            .Reviews.AsNoTracking()
            .Where(r => r.Id == invitation.ReviewId)
            .Select(r => new { r.EditionId, r.ArchivedAt })
            .SingleAsync(ct);
        if (review.ArchivedAt is not null)
        {
            // An archived review takes no more answers: its links close with it.
            (Mode, State) = (ContributeMode.Gone, LinkState.Revoked);
            Response.StatusCode = StatusCodes.Status410Gone;
            return false;
        }
        Invitation = invitation;
        Edition = await editions.GetAsync(review.EditionId, ct);
        var places = Edition.AllCells.SelectMany(c => c.Items).ToDictionary(i => i.Id, i => i.Text);
        var chosen = invitation
            .ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(places.ContainsKey)
            .ToList();
        FrameworkText = chosen.ToDictionary(i => i, i => places[i]);
        Questions = await plainLanguage.QuestionsAsync(chosen.Select(i => (i, places[i])), ct);
        return true;
    }
}

/// <summary>What the invitee posts: their agreement, their name if they choose, and an answer per question.</summary>
public sealed class ContributeInput
{
    // In the order the page shows them, which the error summary follows.
    public bool Agree { get; set; }
    public List<string?> Answers { get; set; } = [];
    public string? Name { get; set; }
}
