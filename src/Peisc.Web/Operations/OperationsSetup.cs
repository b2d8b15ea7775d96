using Microsoft.Extensions.Options;

namespace Peisc.Web.Operations;

public static class OperationsSetup
{
    public static IServiceCollection AddPeiscOperations(this IServiceCollection services)
    {
        services
            .AddOptions<RetentionOptions>()
            .BindConfiguration("Retention")
            .Validate(
                o => o.Periods.All(p => p > TimeSpan.Zero),
                "Every Retention period must be longer than zero"
            )
            .ValidateOnStart();
        services.AddScoped<RetentionPurge>();
        services.AddHostedService<DailyRetentionPurge>();
        return services;
    }
}

/// <summary>Runs the retention purge ten minutes after start-up, then once a day.</summary>
public sealed class DailyRetentionPurge(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<DailyRetentionPurge> logger
) : BackgroundService
{
    // Not at start-up itself: a deployment starting several instances at once is busy enough.
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DailyPurge)
        {
            return;
        }
        await Task.Delay(FirstRunAfter, clock, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope
                    .ServiceProvider.GetRequiredService<RetentionPurge>()
                    .PurgeAsync(RetentionPurge.BySchedule, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The retention purge failed; trying again in a day");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
