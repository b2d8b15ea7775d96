using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>The kinds of email a member can turn off on their notifications page.</summary>
public enum NotificationKind
{
    Mention,
    ActionAssigned,
    ActionDueSoon,
}

/// <summary>
/// Emails members about what needs them: a mention, an action given to them, an action due soon.
/// Each person's choices (account/notifications) are read at the moment of sending. A failure to
/// send is logged and never undoes the change that caused it.
/// </summary>
public sealed class Notifier(
    AppDbContext db,
    EmailSender email,
    IConfiguration configuration,
    ILogger<Notifier> logger
)
{
    /// <summary>How far ahead an open action counts as "due soon".</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromDays(3);

    public async Task SendAsync(
        Guid userId,
        NotificationKind kind,
        string subject,
        string body,
        CancellationToken ct = default
    )
    {
        var user = await db
            .Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Email,
                u.DisplayName,
                Wanted = kind == NotificationKind.Mention ? u.NotifyMentions
                : kind == NotificationKind.ActionAssigned ? u.NotifyActionsAssigned
                : u.NotifyActionsDueSoon,
            })
            .SingleOrDefaultAsync(ct);
        if (user?.Email is null || !user.Wanted)
        {
            return;
        }
        try
        {
            await email.SendAsync(
                user.Email,
                subject,
                $"""
                Dear {user.DisplayName},

                {body}

                You can choose which emails you get at {Link("/account/notifications")}.
                """,
                ct
            );
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not send a {Kind} email", kind);
        }
    }

    /// <summary>An absolute link when the site's address is configured (App:BaseUrl), otherwise a path.</summary>
    public string Link(string path) => (configuration["App:BaseUrl"]?.TrimEnd('/') ?? "") + path;

    /// <summary>
    /// Reminds each owner once about their open actions due within <see cref="DueSoon"/>. Runs for
    /// every organisation in turn, through each one's tenant filter.
    /// </summary>
    public async Task<int> RemindDueSoonAsync(DateTime now, CancellationToken ct = default)
    {
        var sent = 0;
        var organisations = await db.Organisations.AsNoTracking().Select(o => o.Id).ToListAsync(ct);
        foreach (var organisationId in organisations)
        {
            db.UseOrganisation(organisationId);
            var horizon = now + DueSoon;
            var due = await db
                .Actions.Where(a =>
                    a.OwnerUserId != null
                    && a.DueDate != null
                    && a.DueDate <= horizon
                    && a.DueDate >= now.Date
                    && a.DueReminderSentAt == null
                    && (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress)
                )
                .ToListAsync(ct);
            foreach (var action in due)
            {
                var review = await db
                    .Reviews.AsNoTracking()
                    .Where(r => r.Id == action.ReviewId)
                    .Select(r => r.Title)
                    .SingleAsync(ct);
                await SendAsync(
                    action.OwnerUserId!.Value,
                    NotificationKind.ActionDueSoon,
                    $"Action due {action.DueDate:d MMMM}: {action.Title}",
                    $"The action \"{action.Title}\" in the review \"{review}\" is due on {action.DueDate:d MMMM yyyy}.\n\n"
                        + $"See it at {Link($"/reviews/{action.ReviewId}/actions")}",
                    ct
                );
                action.DueReminderSentAt = now;
                sent++;
            }
            await db.SaveChangesAsync(ct);
        }
        return sent;
    }
}

/// <summary>Looks for actions due soon every hour.</summary>
public sealed class DueSoonReminders(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<DueSoonReminders> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
                await notifier.RemindDueSoonAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(
                    e,
                    "Reminders about actions due soon failed; trying again in an hour"
                );
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
