using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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
            // Every page declares its own lower-case route with @page, so URLs are what the files say.
            .AddRazorPages()
            .AddMvcOptions(o =>
            {
                o.MaxModelBindingCollectionSize = 1000;
                o.Filters.Add<UnmatchedHandlerFilter>();
                o.Filters.Add<UnreadableFormFilter>();
            });
        services.AddProblemDetails();
        // The API's JSON: camelCase (the default) and enums by name, so stored values read as words.
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter())
        );
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(Api.ReviewsApi.DescribeAccessTokensAsync);
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
        // On stop, Kestrel refuses new connections and lets requests already running finish: give
        // them long enough (a large export, a save waiting on a busy database) before it cuts them off.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            // Generous, so a file that is too large reaches the page and gets a clear message.
            o.MultipartBodyLengthLimit = 10 * 1024 * 1024;
        });
        return services;
    }

    public static WebApplication UsePeiscPipeline(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        // The API answers failures with problem details; pages with the error page.
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments("/api"),
            api => api.UseExceptionHandler(ExceptionOptions(path: null)).UseStatusCodePages()
        );
        app.UseWhen(
            c => !c.Request.Path.StartsWithSegments("/api"),
            pages =>
                pages
                    .UseExceptionHandler(ExceptionOptions(path: "/error"))
                    .UseStatusCodePagesWithReExecute("/error/{0}")
        );
        app.UseSecurityHeaders(security);
        app.UseNulFreeQuery();
        app.UseDatabaseOutagePage();
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

    private static ExceptionHandlerOptions ExceptionOptions(string? path) =>
        new()
        {
            // Without a path, the problem details service writes the answer.
            ExceptionHandlingPath = path,
            // A body over the limit (or otherwise unreadable) is the client's fault: 413 or 400, not
            // 500. A write to something a colleague deleted a moment before finds it gone: 404.
            StatusCodeSelector = ex =>
                ex is BadHttpRequestException bad ? bad.StatusCode
                : Races.IsWriteToSomethingDeleted(ex) ? StatusCodes.Status404NotFound
                : StatusCodes.Status500InternalServerError,
            // Neither is the server's fault: no error with a stack trace in the log.
            SuppressDiagnosticsCallback = c =>
                c.Exception is BadHttpRequestException
                || Races.IsWriteToSomethingDeleted(c.Exception),
        };

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

    /// <summary>
    /// Anything no endpoint answers is "not found" for everyone, rather than a request to sign in
    /// first: every path, those that look like file names too (an API item id such as
    /// "overarching.innovation.1"). Routing also lands here when an API address exists but the body
    /// is not JSON; that caller is told what the API reads instead.
    /// </summary>
    public static void MapNotFound(this WebApplication app) =>
        app.MapFallback(
                "{*path}",
                (HttpRequest request) =>
                    request.Path.StartsWithSegments("/api")
                    && request.ContentType is not null
                    && !request.HasJsonContentType()
                        ? Results.Problem(
                            statusCode: StatusCodes.Status415UnsupportedMediaType,
                            detail: "The API reads JSON: send the body as application/json."
                        )
                        : Results.NotFound()
            )
            .AllowAnonymous()
            .ExcludeFromDescription();
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
