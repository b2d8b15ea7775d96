using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Peisc.Web.Web;

/// <summary>
/// When the server cannot read a form (a body over the limit, a connection cut short), model binding
/// gives up silently and binds nothing: the handler then ran on an empty form, answering "not found"
/// or a page of "enter a value" errors while the body was still arriving. The form is read first, so
/// such a request gets 413 or 400 on the error page instead (the exception handler's status).
/// Once read, the form loses any NUL it holds (<see cref="NulFreeInput"/>).
/// </summary>
public sealed class UnreadableFormFilter : IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(
        ResourceExecutingContext context,
        ResourceExecutionDelegate next
    )
    {
        var request = context.HttpContext.Request;
        // The error page, re-executed for this same request, must not fail on its form again.
        var reExecuted =
            context.HttpContext.Features.Get<IExceptionHandlerFeature>() is not null
            || context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        if (request.HasFormContentType && !reExecuted)
        {
            try
            {
                await request.ReadFormAsync(context.HttpContext.RequestAborted);
                NulFreeInput.CleanForm(request);
            }
            catch (IOException ex) when (ex is not BadHttpRequestException)
            {
                // A multipart body that ends before its closing boundary: the sender's fault.
                throw new BadHttpRequestException(
                    "The form could not be read.",
                    StatusCodes.Status400BadRequest,
                    ex
                );
            }
            catch (InvalidDataException)
            {
                // A file over the upload limit, or a malformed multipart body: the page itself
                // tells the person (its file is missing or too large), so it still runs.
            }
        }
        await next();
    }
}
