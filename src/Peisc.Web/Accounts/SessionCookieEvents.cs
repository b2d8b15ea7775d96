using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>
/// Ties the sign-in cookie to a row in UserSessions. The cookie alone is never enough:
/// signing out, a timeout or suspension from the organisation ends the session on the server,
/// and a copy of the cookie replayed afterwards is refused (trust.md S4, S5).
/// </summary>
public sealed class SessionCookieEvents(
    AppDbContext db,
    CurrentMember member,
    SignInCache cache,
    TimeProvider clock,
    IOptions<SecurityOptions> options
) : CookieAuthenticationEvents
{
    public const string SessionClaim = "peisc:sid";

    public override async Task SigningIn(CookieSigningInContext context)
    {
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        var userId = Guid.Parse(identity.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        var now = clock.GetUtcNow().UtcDateTime;

        // A new sign-in always gets a new session id, and ends the one this browser had.
        await EndAsync(context.HttpContext.User, now);

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        // IgnoreQueryFilters: no organisation is chosen yet, and this lists only the person's own
        // memberships. A suspended membership is never where a session starts (trust.md S6).
        var organisations = await db
            .Memberships.IgnoreQueryFilters()
            .Where(m => m.UserId == userId && m.SuspendedAt == null)
            .Select(m => m.OrganisationId)
            .ToListAsync();
        Guid? organisationId =
            user.LastOrganisationId is { } last && organisations.Contains(last) ? last
            : organisations.Count > 0 ? organisations[0]
            : null;

        var session = new UserSession
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            OrganisationId = organisationId,
            CreatedAt = now,
            LastSeenAt = now,
            UserAgent = Truncate(context.HttpContext.Request.Headers.UserAgent.ToString(), 300),
        };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync();
        identity.AddClaim(new Claim(SessionClaim, session.Id.ToString()));
    }

    public override async Task SigningOut(CookieSigningOutContext context) =>
        await EndAsync(context.HttpContext.User, clock.GetUtcNow().UtcDateTime);

    /// <summary>What one request needs to know about its session, read in one query (or from <see cref="SignInCache"/>).</summary>
    public sealed record SessionState(
        Guid UserId,
        Guid? OrganisationId,
        DateTime CreatedAt,
        DateTime LastSeenAt,
        DateTime? EndedAt,
        string DisplayName,
        bool TwoFactorEnabled,
        MemberRole? Role,
        string? OrganisationName,
        bool OrganisationRequiresTwoFactor,
        bool Suspended
    );

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!TryGetSessionId(context.Principal, out var sessionId))
        {
            await RejectAsync(context);
            return;
        }

        var key = "session:" + sessionId.ToString("N");
        if (!cache.TryGet<SessionState>(key, out var session))
        {
            var generation = cache.Generation;
            session = await ReadSessionAsync(sessionId);
            if (session is not null)
            {
                cache.Set(key, session, generation);
            }
        }

        if (
            session is null
            || session.EndedAt is not null
            || session.Suspended
            || now - session.LastSeenAt > settings.IdleTimeout
            || now - session.CreatedAt > settings.AbsoluteTimeout
        )
        {
            if (session is not null && session.EndedAt is null)
            {
                await db
                    .UserSessions.Where(s => s.Id == sessionId)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now));
            }
            await RejectAsync(context);
            return;
        }

        member.UserId = session.UserId;
        member.SessionId = sessionId;
        member.DisplayName = session.DisplayName;
        // Removed from the organisation (or never in one): signed in, but with no organisation's data.
        member.OrganisationId = session.Role is null ? null : session.OrganisationId;
        if (session.Role is { } role)
        {
            member.Role = role;
            member.OrganisationName = session.OrganisationName;
            member.TwoFactorRequiredButMissing =
                !session.TwoFactorEnabled
                && (
                    session.OrganisationRequiresTwoFactor
                    || (role == MemberRole.Owner && settings.RequireTwoFactorForOwners)
                );
            context.Principal!.AddIdentity(
                new ClaimsIdentity([new Claim(ClaimTypes.Role, role.ToString())])
            );
        }

        // Idle time is tracked to the minute, so most requests write nothing. The write is tagged
        // as bookkeeping so that it does not empty the sign-in cache; the cached copy is updated.
        if (now - session.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            var generation = cache.Generation;
            await db
                .UserSessions.TagWith(SignInCache.BookkeepingTag)
                .Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now));
            cache.Set(key, session with { LastSeenAt = now }, generation);
        }
    }

    private Task<SessionState?> ReadSessionAsync(Guid sessionId) =>
        // IgnoreQueryFilters: no organisation is chosen yet for this request; the join names the
        // session's own organisation, so only that membership can match.
        (
            from s in db.UserSessions.AsNoTracking()
            where s.Id == sessionId
            join m in db.Memberships.IgnoreQueryFilters()
                on new { s.UserId, s.OrganisationId } equals new
                {
                    m.UserId,
                    OrganisationId = (Guid?)m.OrganisationId,
                }
                into memberships
            from m in memberships.DefaultIfEmpty()
            select new SessionState(
                s.UserId,
                s.OrganisationId,
                s.CreatedAt,
                s.LastSeenAt,
                s.EndedAt,
                s.User!.DisplayName,
                s.User.TwoFactorEnabled,
                m == null ? null : (MemberRole?)m.Role,
                m == null ? null : m.Organisation!.Name,
                m != null && m.Organisation!.RequireTwoFactor,
                m != null && m.SuspendedAt != null
            )
        ).SingleOrDefaultAsync();

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        return base.RedirectToLogin(context);
    }

    public override async Task RedirectToAccessDenied(
        RedirectContext<CookieAuthenticationOptions> context
    )
    {
        // trust.md R1: a refused request is part of the record, not only a change.
        var audit = context.HttpContext.RequestServices.GetRequiredService<AuditLog>();
        await audit.WriteAsync(
            AuditActions.AccessDenied,
            detail: $"{context.Request.Method} {context.Request.Path}"
        );
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await base.RedirectToAccessDenied(context);
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private async Task EndAsync(ClaimsPrincipal? principal, DateTime now)
    {
        if (TryGetSessionId(principal, out var sessionId))
        {
            await db
                .UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now));
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }

    private static bool TryGetSessionId(ClaimsPrincipal? principal, out Guid sessionId)
    {
        sessionId = Guid.Empty;
        return principal?.FindFirst(SessionClaim)?.Value is { } value
            && Guid.TryParse(value, out sessionId);
    }

    private static string? Truncate(string text, int max) =>
        text.Length == 0 ? null
        : text.Length <= max ? text
        : text[..max];
}
