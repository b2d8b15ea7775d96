using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Web;

public static class WebSetup
{
    public static IServiceCollection AddPeiscWeb(this IServiceCollection services)
    {
        services.AddSingleton<FrameworkCatalog>();
        services.AddHttpContextAccessor();
        services
            .AddRazorPages(o =>
            {
                o.Conventions.Add(new PageRouteTransformerConvention(new KebabCaseRoutes()));
            })
            .AddMvcOptions(o =>
            {
                o.MaxModelBindingCollectionSize = 1000;
            });
        services.Configure<RouteOptions>(o =>
        {
            o.LowercaseUrls = true;
        });
        services.AddProblemDetails();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(
                (document, _, _) =>
                {
                    document.Info.Title = "PEISC API";
                    document.Info.Description =
                        "The Promoting Ethical Innovation in Social Care framework as data, and the reviews built on it.";
                    return Task.CompletedTask;
                }
            );
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = FrameworkLoader.MaxFileBytes + 64 * 1024;
        });
        return services;
    }

    public static WebApplication UsePeiscPipeline(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        app.UseExceptionHandler("/error");
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments("/api"),
            api => api.UseStatusCodePages()
        );
        app.UseWhen(
            c => !c.Request.Path.StartsWithSegments("/api"),
            pages => pages.UseStatusCodePagesWithReExecute("/error/{0}")
        );
        app.UseSecurityHeaders(security);
        if (security.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseStaticFiles(
            new StaticFileOptions
            {
                OnPrepareResponse = c =>
                    c.Context.Response.Headers.CacheControl = "public, max-age=3600",
            }
        );
        app.UseRouting();
        app.UseAuthentication();
        app.UseFirstRunSetup();
        app.UseTwoFactorEnforcement();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks(
                "/health",
                new HealthCheckOptions
                {
                    ResultStatusCodes =
                    {
                        [HealthStatus.Healthy] = StatusCodes.Status200OK,
                        [HealthStatus.Degraded] = StatusCodes.Status200OK,
                        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                    },
                }
            )
            .AllowAnonymous();
        return app;
    }

    // Page folders are PascalCase in code, kebab-case in URLs: Pages/Account/SignIn is /account/sign-in.
    private sealed class KebabCaseRoutes : IOutboundParameterTransformer
    {
        public string? TransformOutbound(object? value) =>
            value is null
                ? null
                : System
                    .Text.RegularExpressions.Regex.Replace(
                        value.ToString()!,
                        "([a-z0-9])([A-Z])",
                        "$1-$2",
                        System.Text.RegularExpressions.RegexOptions.None,
                        TimeSpan.FromSeconds(1)
                    )
                    .ToLowerInvariant();
    }
}

public sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
