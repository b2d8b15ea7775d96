using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>Personal access tokens: how one is made, and the only form in which it is stored.</summary>
public static class PersonalAccessTokens
{
    public const string Marker = "peisc_";
    public const int PrefixLength = 12;

    public static readonly int[] LifetimesInDays = [30, 90, 365];

    public sealed record NewToken(string Token, string Hash, string Prefix);

    public static NewToken Create()
    {
        var token =
            Marker
            + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new NewToken(token, Hash(token), token[..PrefixLength]);
    }

    public static string Hash(string token) => MembershipService.HashToken(token);
}

/// <summary>
/// The "AccessToken" scheme: <c>Authorization: Bearer peisc_...</c>. A token acts for its person in
/// the one organisation it was made for, and only while they are still a member there with their
/// current role; revoked and expired tokens are refused.
/// </summary>
public sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AppDbContext db,
    CurrentMember member,
    SignInCache cache,
    AuditLog audit,
    TimeProvider clock,
    IOptions<SecurityOptions> security
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";
    public const string TokenIdClaim = "peisc:token";

    // A real token is 49 characters; anything far longer is not worth hashing.
    private const int MaxTokenLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = header["Bearer ".Length..].Trim();
        if (
            !presented.StartsWith(PersonalAccessTokens.Marker, StringComparison.Ordinal)
            || presented.Length > MaxTokenLength
        )
        {
            return AuthenticateResult.Fail("Not a PEISC access token.");
        }

        ResetMember();
        var hash = PersonalAccessTokens.Hash(presented);
        var key = "token:" + hash;
        if (!cache.TryGet<TokenState>(key, out var token))
        {
            var generation = cache.Generation;
            token = await ReadTokenAsync(hash);
            if (token is null)
            {
                return AuthenticateResult.Fail("Unknown access token.");
            }
            cache.Set(key, token, generation);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return await RefuseAsync(
                token.Id,
                token.UserId,
                token.OrganisationId,
                token.RevokedAt is not null ? "revoked" : "expired"
            );
        }
        if (token.Suspended)
        {
            return await RefuseAsync(token.Id, token.UserId, token.OrganisationId, "suspended");
        }
        if (token.Role is not { } role)
        {
            return await RefuseAsync(
                token.Id,
                token.UserId,
                token.OrganisationId,
                "no longer a member"
            );
        }
        // A token never gets round the organisation's two-factor rule: set it up first.
        if (
            !token.TwoFactorEnabled
            && (
                token.OrganisationRequiresTwoFactor
                || (role == MemberRole.Owner && security.Value.RequireTwoFactorForOwners)
            )
        )
        {
            return await RefuseAsync(
                token.Id,
                token.UserId,
                token.OrganisationId,
                "two-factor sign-in required but not set up"
            );
        }

        member.OrganisationId = token.OrganisationId;
        member.UserId = token.UserId;
        member.OrganisationName = token.OrganisationName;
        member.Role = role;
        member.DisplayName = token.DisplayName;

        // Tracked to the minute, so a busy script writes at most once a minute. Tagged as
        // bookkeeping so that it does not empty the sign-in cache; the cached copy is updated.
        if (token.LastUsedAt is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            var generation = cache.Generation;
            await db
                .AccessTokens.TagWith(SignInCache.BookkeepingTag)
                .Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now));
            cache.Set(key, token with { LastUsedAt = now }, generation);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString()),
                new Claim(ClaimTypes.Name, token.DisplayName),
                new Claim(ClaimTypes.Role, role.ToString()),
                new Claim(TokenIdClaim, token.Id.ToString()),
            ],
            SchemeName
        );
        return AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)
        );
    }

    /// <summary>A token with its person's membership of the token's organisation, read in one query.</summary>
    public sealed record TokenState(
        Guid Id,
        Guid UserId,
        Guid OrganisationId,
        DateTime ExpiresAt,
        DateTime? RevokedAt,
        DateTime? LastUsedAt,
        string DisplayName,
        bool TwoFactorEnabled,
        MemberRole? Role,
        string? OrganisationName,
        bool OrganisationRequiresTwoFactor,
        bool Suspended
    );

    // IgnoreQueryFilters: no organisation is chosen yet for this request; the join names the
    // token's own organisation, so only that membership can match.
    private Task<TokenState?> ReadTokenAsync(string hash) =>
        (
            from t in db.AccessTokens.AsNoTracking()
            where t.TokenHash == hash
            join u in db.Users on t.UserId equals u.Id
            join m in db.Memberships.IgnoreQueryFilters()
                on new { t.UserId, t.OrganisationId } equals new { m.UserId, m.OrganisationId }
                into memberships
            from m in memberships.DefaultIfEmpty()
            select new TokenState(
                t.Id,
                t.UserId,
                t.OrganisationId,
                t.ExpiresAt,
                t.RevokedAt,
                t.LastUsedAt,
                u.DisplayName,
                u.TwoFactorEnabled,
                m == null ? null : (MemberRole?)m.Role,
                m == null ? null : m.Organisation!.Name,
                m != null && m.Organisation!.RequireTwoFactor,
                m != null && m.SuspendedAt != null
            )
        ).SingleOrDefaultAsync(Context.RequestAborted);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The body (problem details) comes from the API's status code pages.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    // A refused token that we know is part of its organisation's record (trust.md R1).
    private async Task<AuthenticateResult> RefuseAsync(
        Guid tokenId,
        Guid userId,
        Guid organisationId,
        string reason
    )
    {
        await audit.WriteAsync(
            AuditActions.TokenRefused,
            nameof(AccessToken),
            tokenId.ToString(),
            $"Access token refused ({reason}): {Request.Method} {Request.Path}",
            organisationId: organisationId,
            actorUserId: userId
        );
        return AuthenticateResult.Fail($"Access token {reason}.");
    }

    // A sign-in cookie sent alongside the token may have filled these already; the token decides.
    private void ResetMember()
    {
        member.UserId = null;
        member.SessionId = null;
        member.OrganisationId = null;
        member.OrganisationName = null;
        member.Role = null;
        member.DisplayName = null;
        member.TwoFactorRequiredButMissing = false;
    }
}
