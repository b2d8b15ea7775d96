using System.Threading.RateLimiting;

namespace Peisc.Web.LivedExperience;

public static class LivedExperienceSetup
{
    /// <summary>The rate-limiting policy on the invitee's page, which anyone may post to.</summary>
    public const string AnonymousPosts = "voices-anonymous-posts";

    public static IServiceCollection AddPeiscLivedExperience(this IServiceCollection services)
    {
        services.AddSingleton<PlainLanguageCatalog>();
        services.AddScoped<PlainLanguage>();
        services.AddScoped<VoiceService>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Reading the page is never limited; posting is, per client address.
            o.AddPolicy(
                AnonymousPosts,
                context =>
                    HttpMethods.IsPost(context.Request.Method)
                        ? RateLimitPartition.GetFixedWindowLimiter(
                            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                            _ => new FixedWindowRateLimiterOptions
                            {
                                PermitLimit = 30,
                                Window = TimeSpan.FromMinutes(1),
                                QueueLimit = 0,
                            }
                        )
                        : RateLimitPartition.GetNoLimiter("read")
            );
        });
        return services;
    }
}
