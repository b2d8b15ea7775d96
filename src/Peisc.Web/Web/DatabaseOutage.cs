using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Peisc.Web.Web;

/// <summary>
/// When the database cannot be reached, every page and API answers 503 with Retry-After, never a
/// 500 or a stack trace: people see "Sorry, the service is unavailable", scripts get problem
/// details. Nothing is remembered between requests, so the service comes back by itself on the
/// first request after the database does (trust.md, Operations).
/// </summary>
public static class DatabaseOutage
{
    public const int RetryAfterSeconds = 30;

    public static IApplicationBuilder UseDatabaseOutagePage(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e)
                    when (IsDatabaseUnavailable(e)
                        && !context.Response.HasStarted
                        && !context.RequestAborted.IsCancellationRequested
                    )
                {
                    context
                        .RequestServices.GetRequiredService<ILoggerFactory>()
                        .CreateLogger(typeof(DatabaseOutage))
                        .LogError(e, "The database is unavailable: answered 503");
                    await WriteAsync(context);
                }
            }
        );

    /// <summary>An exception that says the database is unreachable, rather than that a query was wrong.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection refused, reset, timed out, or the server shutting the connection.
                case PostgresException p when IsUnavailableState(p.SqlState):
                case NpgsqlException { IsTransient: true }:
                case SqliteException { SqliteErrorCode: SqliteCantOpen or SqliteIoError }:
                case SocketException:
                    return true;
            }
        }
        return false;
    }

    private const int SqliteIoError = 10;
    private const int SqliteCantOpen = 14;

    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) // connection exception
        || state.StartsWith("57P", StringComparison.Ordinal) // shut down by the administrator, or starting up
        || state.StartsWith("53", StringComparison.Ordinal) // out of connections, memory or disk
        || state
            is "3D000" // the database does not exist (dropped, or not restored yet)
                or "55000"; // the database is not accepting connections

    private static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        // Clear drops what the failed request set; the security headers are added on start.
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(
            System.Globalization.CultureInfo.InvariantCulture
        );
        response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results
                .Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The service is unavailable",
                    detail: $"The database cannot be reached. Try again in {RetryAfterSeconds} seconds."
                )
                .ExecuteAsync(context);
            return;
        }
        // A page of its own: the usual layout reads the signed-in member, which needs the database.
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Page);
    }

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en-GB" class="govuk-template govuk-template--rebranded">
        <head>
          <meta charset="utf-8">
          <title>Sorry, the service is unavailable – PEISC</title>
          <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" sizes="any">
          <link rel="stylesheet" href="/lib/govuk/peisc.css">
        </head>
        <body class="govuk-template__body">
          <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
          <header class="govuk-template__header">
            <div class="govuk-generic-header">
              <div class="govuk-generic-header__container govuk-width-container">
                <div class="govuk-generic-header__logo">
                  <a href="/" class="govuk-generic-header__homepage-link">PEISC</a>
                </div>
              </div>
            </div>
          </header>
          <div class="govuk-width-container">
            <main class="govuk-main-wrapper" id="main-content">
              <div class="govuk-grid-row">
                <div class="govuk-grid-column-two-thirds">
                  <h1 class="govuk-heading-xl">Sorry, the service is unavailable</h1>
                  <p class="govuk-body">You will be able to use the service again shortly. Try again in a minute.</p>
                  <p class="govuk-body">Anything you saved before this happened is safe. If you were saving something when this page appeared, check it is there when the service is back.</p>
                </div>
              </div>
            </main>
          </div>
        </body>
        </html>
        """;
}
