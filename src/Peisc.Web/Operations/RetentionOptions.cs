namespace Peisc.Web.Operations;

/// <summary>
/// How long records that have served their purpose are kept after they ended (docs/operations.md).
/// Audit rows are never purged.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Purge once a day (first ten minutes after start-up); the command works either way.</summary>
    public bool DailyPurge { get; set; } = true;

    /// <summary>Sign-in sessions, after they ended (signed out, timed out or ended by an owner).</summary>
    public TimeSpan SignInSessions { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Invitations to join an organisation, after they were accepted, revoked or expired.</summary>
    public TimeSpan MemberInvitations { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Lived-experience links that nobody answered through, after they were revoked or expired.</summary>
    public TimeSpan LivedExperienceInvitations { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Guests of a live session (their names and answers), after the session ended.</summary>
    public TimeSpan WorkshopGuests { get; set; } = TimeSpan.FromDays(30);

    /// <summary>API access tokens, after they were revoked or expired.</summary>
    public TimeSpan AccessTokens { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The .eml files of the development mail folder, after they were written.</summary>
    public TimeSpan PickupEmails { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Archived reviews with everything in them, after they were archived; unset keeps them.</summary>
    public TimeSpan? ArchivedReviews { get; set; }

    public IEnumerable<TimeSpan> Periods =>
        [
            SignInSessions,
            MemberInvitations,
            LivedExperienceInvitations,
            WorkshopGuests,
            AccessTokens,
            PickupEmails,
            .. ArchivedReviews is { } reviews ? [reviews] : Array.Empty<TimeSpan>(),
        ];
}
