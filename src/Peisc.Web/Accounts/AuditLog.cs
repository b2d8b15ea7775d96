using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>Writes the audit trail. Add() joins the caller's unit of work; WriteAsync() saves at once.</summary>
public sealed class AuditLog(
    AppDbContext db,
    CurrentMember member,
    IHttpContextAccessor http,
    TimeProvider clock
)
{
    public void Add(
        string action,
        string? entityType = null,
        string? entityId = null,
        string? detail = null,
        Guid? organisationId = null,
        Guid? actorUserId = null,
        string? actorName = null,
        bool anonymous = false
    )
    {
        db.AuditEvents.Add(
            new AuditEvent
            {
                OccurredAt = clock.GetUtcNow().UtcDateTime,
                OrganisationId = organisationId ?? member.OrganisationId,
                // Anonymous: done by someone with no account here (a lived-experience link), even if signed in elsewhere.
                ActorUserId = anonymous ? null : actorUserId ?? member.UserId,
                ActorName = Truncate(anonymous ? actorName : actorName ?? member.DisplayName, 256),
                Action = action,
                EntityType = entityType,
                EntityId = entityId,
                Detail = Truncate(detail, 2000),
                CorrelationId = http.HttpContext?.TraceIdentifier,
            }
        );
    }

    public async Task WriteAsync(
        string action,
        string? entityType = null,
        string? entityId = null,
        string? detail = null,
        Guid? organisationId = null,
        Guid? actorUserId = null,
        string? actorName = null
    )
    {
        Add(action, entityType, entityId, detail, organisationId, actorUserId, actorName);
        await db.SaveChangesAsync();
    }

    private static string? Truncate(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..max];
}

public static class AuditActions
{
    public const string SignedIn = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string LockedOut = "sign-in.locked-out";
    public const string SignedOut = "sign-out";
    public const string AccessDenied = "access.denied";
    public const string OrganisationCreated = "organisation.created";
    public const string OrganisationUpdated = "organisation.updated";
    public const string MemberInvited = "membership.invited";
    public const string InvitationRevoked = "membership.invitation-revoked";
    public const string MemberJoined = "membership.joined";
    public const string MemberRoleChanged = "membership.role-changed";
    public const string MemberRemoved = "membership.removed";
    public const string MemberSuspended = "membership.suspended";
    public const string MemberRestored = "membership.restored";
    public const string SessionsEnded = "sign-in.sessions-ended";
    public const string SignInSuspended = "sign-in.suspended";
    public const string TwoFactorEnabled = "two-factor.enabled";
    public const string TwoFactorDisabled = "two-factor.disabled";
    public const string TwoFactorKeyIssued = "two-factor.key-issued";
    public const string RecoveryCodesIssued = "two-factor.recovery-codes-issued";
    public const string EditionUploaded = "edition.uploaded";
    public const string EditionRejected = "edition.rejected";
    public const string EditionDeleted = "edition.deleted";
    public const string DefaultEditionChanged = "edition.default-changed";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string TokenRefused = "token.refused";
    public const string AnswersExported = "export.answers";
    public const string ActionsExported = "export.actions";
    public const string PortfolioExported = "export.portfolio";
    public const string BoardReportExported = "export.board-report";
    public const string SummaryExported = "export.summary";
    public const string FacilitationPackExported = "export.facilitation-pack";
    public const string VoiceInvitationCreated = "voices.invitation-created";
    public const string VoiceInvitationReissued = "voices.invitation-reissued";
    public const string VoiceInvitationRevoked = "voices.invitation-revoked";
    public const string VoiceContributionSubmitted = "voices.contribution-submitted";
    public const string VoiceContributionWithdrawn = "voices.contribution-withdrawn";
    public const string VoiceContributionDeleted = "voices.contribution-deleted";
    public const string PlainLanguageChanged = "voices.plain-language-changed";
    public const string ReviewJsonExported = "export.review-json";
    public const string ReviewImported = "import.review";
    public const string AuditExported = "export.audit";
    public const string PersonalDataExported = "export.personal-data";
    public const string PersonErased = AuditChain.ErasureAction;
}
