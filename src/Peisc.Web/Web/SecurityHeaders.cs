using Peisc.Web.Accounts;

namespace Peisc.Web.Web;

/// <summary>The response headers of trust.md I3, on every response.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        + "frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(
        this IApplicationBuilder app,
        SecurityOptions options
    ) =>
        app.Use(
            async (context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    headers.XFrameOptions = "DENY";
                    headers.Remove("Server");
                    headers.Remove("X-Powered-By");
                    // Pages for a signed-in person may hold an organisation's data: never cache them.
                    if (context.User.Identity?.IsAuthenticated == true)
                    {
                        headers.CacheControl = "no-store";
                        headers.Pragma = "no-cache";
                    }
                    return Task.CompletedTask;
                });
                await next(context);
            }
        );
}
