using Microsoft.AspNetCore.Identity;
using StackExchange.Redis;

namespace Peisc.Web.Workshops;

public static class WorkshopSetup
{
    /// <summary>A guest's cookie: it names one participant of one session, and nothing else reads it.</summary>
    public const string GuestScheme = "WorkshopGuest";

    /// <summary>Members (by their sign-in cookie) or guests (by theirs); the pages then check which session.</summary>
    public const string ParticipantPolicy = "WorkshopParticipant";

    public const string HubPath = "/workshops/hub";

    public static IServiceCollection AddPeiscWorkshops(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        var requireHttps = configuration.GetValue("Security:RequireHttps", true);
        services
            .AddAuthentication()
            .AddCookie(
                GuestScheme,
                o =>
                {
                    o.Cookie.Name = (requireHttps ? "__Host-" : "") + "peisc-workshop-guest";
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Lax;
                    o.Cookie.SecurePolicy = requireHttps
                        ? CookieSecurePolicy.Always
                        : CookieSecurePolicy.SameAsRequest;
                    o.Cookie.Path = "/";
                    o.ExpireTimeSpan = WorkshopService.MaxLength;
                    o.SlidingExpiration = false;
                    // Someone with neither cookie is asked to sign in, as on every other page.
                    o.ForwardChallenge = IdentityConstants.ApplicationScheme;
                    o.ForwardForbid = IdentityConstants.ApplicationScheme;
                }
            );
        services
            .AddAuthorizationBuilder()
            .AddPolicy(
                ParticipantPolicy,
                p =>
                    p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, GuestScheme)
                        .RequireAuthenticatedUser()
            );

        var signalR = services.AddSignalR();
        // With Redis, a change made through one app instance reaches screens connected to any other.
        var redis = configuration["Redis:ConnectionString"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            var prefix = configuration["Redis:ChannelPrefix"] ?? "peisc";
            signalR.AddStackExchangeRedis(
                redis,
                o => o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix)
            );
        }
        services.AddSingleton<WatchTokens>();
        services.AddSingleton<JoinAttempts>();
        services.AddScoped<WorkshopService>();
        return services;
    }

    public static WebApplication MapWorkshops(this WebApplication app)
    {
        app.MapHub<WorkshopHub>(HubPath);
        return app;
    }
}
