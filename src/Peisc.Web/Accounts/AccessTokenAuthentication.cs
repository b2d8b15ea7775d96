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
        var token = await db
            .AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new
            {
                t.Id,
                t.UserId,
                t.OrganisationId,
                t.Prefix,
                t.ExpiresAt,
                t.RevokedAt,
                t.LastUsedAt,
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("Unknown access token.");
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

        // The membership is read through the tenant filter of the token's organisation.
        member.OrganisationId = token.OrganisationId;
        var membership = await db
            .Memberships.AsNoTracking()
            .Where(m => m.UserId == token.UserId)
            .Select(m => new
            {
                m.Role,
                OrganisationName = m.Organisation!.Name,
                m.Organisation.RequireTwoFactor,
                m.User!.DisplayName,
                m.User.TwoFactorEnabled,
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (membership is null)
        {
            ResetMember();
            return await RefuseAsync(
                token.Id,
                token.UserId,
                token.OrganisationId,
                "no longer a member"
            );
        }
        // A token never gets round the organisation's two-factor rule: set it up first.
        if (
            !membership.TwoFactorEnabled
            && (
                membership.RequireTwoFactor
                || (membership.Role == MemberRole.Owner && security.Value.RequireTwoFactorForOwners)
            )
        )
        {
            ResetMember();
            return await RefuseAsync(
                token.Id,
                token.UserId,
                token.OrganisationId,
                "two-factor sign-in required but not set up"
            );
        }

        member.UserId = token.UserId;
        member.OrganisationName = membership.OrganisationName;
        member.Role = membership.Role;
        member.DisplayName = membership.DisplayName;

        // Tracked to the minute, so a busy script writes at most once a minute.
        if (token.LastUsedAt is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            await db
                .AccessTokens.Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString()),
                new Claim(ClaimTypes.Name, membership.DisplayName),
                new Claim(ClaimTypes.Role, membership.Role.ToString()),
                new Claim(TokenIdClaim, token.Id.ToString()),
            ],
            SchemeName
        );
        return AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)
        );
    }

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
