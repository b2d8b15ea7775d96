using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

public static class AccountsSetup
{
    public static IServiceCollection AddPeiscAccounts(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        services
            .AddOptions<SecurityOptions>()
            .BindConfiguration("Security")
            .Validate(
                o => o.MaxFailedSignIns is > 0 and <= 10,
                "Security:MaxFailedSignIns must be 1 to 10"
            )
            .ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration("Email").ValidateOnStart();
        var security = configuration.GetSection("Security").Get<SecurityOptions>() ?? new();

        services
            .AddIdentityCore<AppUser>(o =>
            {
                // trust.md S2: length, not composition; common passwords refused by CommonPasswordValidator.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = security.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = security.LockoutDuration;
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters =
                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+'";
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<GovukIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>();

        services
            .AddAuthentication(IdentityConstants.ApplicationScheme)
            // Only endpoints whose policy names this scheme read tokens; pages keep the cookie alone.
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(
                AccessTokenAuthenticationHandler.SchemeName,
                configureOptions: null
            )
            .AddIdentityCookies();

        var prefix = security.RequireHttps ? "__Host-" : "";
        var secure = security.RequireHttps
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<SignInCache>();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = prefix + "peisc";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/access-denied";
            o.ReturnUrlParameter = "returnUrl";
            // The server-side session enforces both timeouts and ends its row. The ticket's own expiry
            // is only a backstop, set well beyond them: a ticket that has expired is refused before
            // the server check runs, which would leave the session's row open.
            o.ExpireTimeSpan = security.AbsoluteTimeout * 2;
            o.SlidingExpiration = false;
            o.EventsType = typeof(SessionCookieEvents);
        });
        foreach (
            var scheme in new[]
            {
                IdentityConstants.TwoFactorUserIdScheme,
                IdentityConstants.TwoFactorRememberMeScheme,
                IdentityConstants.ExternalScheme,
            }
        )
        {
            services.Configure<CookieAuthenticationOptions>(
                scheme,
                o =>
                {
                    o.Cookie.Name = prefix + "peisc-" + scheme.Split('.')[^1].ToLowerInvariant();
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Lax;
                    o.Cookie.SecurePolicy = secure;
                    o.Cookie.Path = "/";
                }
            );
        }

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = prefix + "peisc-antiforgery";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
            o.FormFieldName = "__RequestVerificationToken";
        });

        services
            .AddAuthorizationBuilder()
            // Everything needs a signed-in user unless it says [AllowAnonymous].
            .SetFallbackPolicy(
                new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                    .RequireAuthenticatedUser()
                    .Build()
            )
            .AddPolicy(Policies.Owner, p => p.RequireRole(nameof(MemberRole.Owner)))
            .AddPolicy(
                Policies.Member,
                p =>
                    p.RequireRole(
                        nameof(MemberRole.Owner),
                        nameof(MemberRole.Facilitator),
                        nameof(MemberRole.Contributor),
                        nameof(MemberRole.Viewer)
                    )
            )
            // The reviews API: personal access tokens only, so a browser's cookie can never write through it.
            .AddPolicy(
                Policies.AccessToken,
                p =>
                    p.AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
                        .RequireAuthenticatedUser()
            );

        services.AddScoped<CurrentMember>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<AuditSealer>();
        services.AddHostedService(s => s.GetRequiredService<AuditSealer>());
        services.AddScoped<PersonalData>();
        services.AddScoped<EmailSender>();
        services.AddScoped<Notifier>();
        services.AddHostedService<DueSoonReminders>();
        services.AddScoped<MembershipService>();
        services.AddScoped<Reviews.ReviewService>();
        services.AddScoped<Reviews.DeliberationService>();
        services.AddScoped<Framework.EditionResolver>();
        services.AddSingleton<FirstRunState>();
        return services;
    }

    /// <summary>While nobody has an account, every page leads to the set-up page.</summary>
    public static IApplicationBuilder UseFirstRunSetup(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                var state = context.RequestServices.GetRequiredService<FirstRunState>();
                var path = context.Request.Path;
                if (
                    !state.SetUpDone
                    && !path.StartsWithSegments("/setup")
                    && !path.StartsWithSegments("/api")
                    && !path.StartsWithSegments("/openapi")
                    && !path.StartsWithSegments("/health")
                    && !path.StartsWithSegments("/error")
                    && !path.StartsWithSegments("/accessibility")
                    && !path.StartsWithSegments("/privacy")
                    && !path.StartsWithSegments("/framework")
                    && HttpMethods.IsGet(context.Request.Method)
                )
                {
                    var db = context.RequestServices.GetRequiredService<AppDbContext>();
                    if (await db.Users.AnyAsync())
                    {
                        state.SetUpDone = true;
                    }
                    else
                    {
                        context.Response.Redirect("/setup");
                        return;
                    }
                }
                await next(context);
            }
        );

    /// <summary>Someone who must use two-factor sign-in but has not set it up can only set it up.</summary>
    public static IApplicationBuilder UseTwoFactorEnforcement(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                var member = context.RequestServices.GetRequiredService<CurrentMember>();
                var path = context.Request.Path;
                if (
                    member.TwoFactorRequiredButMissing
                    && !path.StartsWithSegments("/account")
                    && !path.StartsWithSegments("/error")
                    && !path.StartsWithSegments("/health")
                )
                {
                    if (path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return;
                    }
                    context.Response.Redirect("/account/two-factor");
                    return;
                }
                await next(context);
            }
        );
}

public static class Policies
{
    public const string Owner = "Owner";
    public const string Member = "Member";
    public const string AccessToken = "AccessToken";
}

/// <summary>Remembers that set-up is done, so the check costs one query per process.</summary>
public sealed class FirstRunState
{
    private volatile bool _setUpDone;

    public bool SetUpDone
    {
        get => _setUpDone;
        set => _setUpDone = value;
    }
}
