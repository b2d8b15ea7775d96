using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Peisc.Web.Web;

/// <summary>
/// Razor Pages renders a page without running any handler when none matches the request (a PUT, or
/// ?handler=Nope): the page then has no data and fails while rendering. Such a request gets
/// "page not found" (an unknown handler) or 405 (a method the page does not answer) instead.
/// </summary>
public sealed class UnmatchedHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) =>
        Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(
        PageHandlerExecutingContext context,
        PageHandlerExecutionDelegate next
    )
    {
        if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0)
        {
            var handler = context.HttpContext.Request.Query["handler"];
            var methods = context
                .ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant())
                .Distinct()
                .ToList();
            if (
                !string.IsNullOrEmpty(handler)
                || methods.Contains(context.HttpContext.Request.Method.ToUpperInvariant())
            )
            {
                context.Result = new NotFoundResult();
                return;
            }
            context.HttpContext.Response.Headers.Allow = string.Join(", ", methods);
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return;
        }
        await next();
    }
}
