using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;

namespace Peisc.Web.Workshops;

/// <summary>
/// Pushes a session's changes to its screens. Connecting needs a member's or a guest's cookie;
/// joining a session's group needs a watch token, which only that session's own pages hand out,
/// bound to the person the page was rendered for.
/// </summary>
[Authorize(Policy = WorkshopSetup.ParticipantPolicy)]
public sealed class WorkshopHub(WatchTokens tokens) : Hub
{
    public async Task Watch(string token)
    {
        if (!tokens.TryRead(token, Context.User, out var sessionId, out var screen))
        {
            throw new HubException("This page cannot follow that session: reload the page.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, WorkshopService.Group(sessionId));
        if (screen)
        {
            await Groups.AddToGroupAsync(
                Context.ConnectionId,
                WorkshopService.ScreensGroup(sessionId)
            );
        }
    }
}

/// <summary>Signed, expiring tokens naming a session, who may follow it and whether they see the tally.</summary>
public sealed class WatchTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector = protection
        .CreateProtector("Peisc.Workshops.Watch")
        .ToTimeLimitedDataProtector();

    public static string SubjectOfUser(Guid userId) => "user:" + userId.ToString("N");

    public static string SubjectOfGuest(Guid participantId) =>
        "guest:" + participantId.ToString("N");

    public string Create(Guid sessionId, string subject, bool screen) =>
        _protector.Protect(
            $"{sessionId:N}|{subject}|{(screen ? "screen" : "participant")}",
            clock.GetUtcNow().Add(WorkshopService.MaxLength)
        );

    public bool TryRead(string? token, ClaimsPrincipal? user, out Guid sessionId, out bool screen)
    {
        sessionId = Guid.Empty;
        screen = false;
        string text;
        try
        {
            text = _protector.Unprotect(token ?? "", out var expires);
            if (expires < clock.GetUtcNow())
            {
                return false;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        var parts = text.Split('|');
        if (parts.Length != 3 || !Guid.TryParse(parts[0], out sessionId) || user is null)
        {
            return false;
        }
        screen = parts[2] == "screen";
        return Subjects(user).Contains(parts[1]);
    }

    private static IEnumerable<string> Subjects(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities.Where(i => i.IsAuthenticated))
        {
            if (
                identity.FindFirst(GuestClaims.Participant)?.Value is { } participant
                && Guid.TryParse(participant, out var participantId)
            )
            {
                yield return SubjectOfGuest(participantId);
            }
            else if (
                identity.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId
                && Guid.TryParse(userId, out var id)
            )
            {
                yield return SubjectOfUser(id);
            }
        }
    }
}

public static class GuestClaims
{
    public const string Participant = "peisc:workshop-participant";
    public const string Session = "peisc:workshop-session";
    public const string Organisation = "peisc:workshop-organisation";
}
