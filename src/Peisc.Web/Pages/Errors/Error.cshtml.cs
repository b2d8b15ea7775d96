using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Peisc.Web.Pages.Errors;

// The error pages answer every verb: the exception handler re-executes the failed request's own method.
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Reference { get; private set; } = "";

    // Read from the route data, not bound: when a POST carries a body that cannot be read (a broken
    // multipart form), model binding gives up and binds nothing, and /error/404 would answer 500.
    public void OnGet() => Set(RouteCode());

    public void OnPost() => Set(RouteCode());

    // An error status from the address; any other number (/error/0, /error/200) is a page that does not exist.
    private int? RouteCode() =>
        RouteData.Values["code"]?.ToString() is not { } text ? null
        : int.TryParse(
            text,
            System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture,
            out var code
        ) && code is >= 400 and <= 599
            ? code
        : StatusCodes.Status404NotFound;

    private void Set(int? code)
    {
        // The exception handler re-executes with the status it chose (413 for a body too large).
        Code =
            code
            ?? (
                Response.StatusCode >= 400
                    ? Response.StatusCode
                    : StatusCodes.Status500InternalServerError
            );
        Reference = HttpContext.TraceIdentifier;
        Title = Code switch
        {
            404 => "Page not found",
            403 => "You cannot do this",
            400 => "Sorry, there is a problem with the request",
            413 => "The file or form was too large",
            _ => "Sorry, there is a problem with the service",
        };
        // Re-executed requests keep their status; a direct visit gets the status the page describes.
        Response.StatusCode = Code;
    }
}
