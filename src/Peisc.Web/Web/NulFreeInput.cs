using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Peisc.Web.Web;

/// <summary>
/// NUL (U+0000) cannot be typed, and PostgreSQL cannot store it in text: it arrives only in text
/// pasted from a binary file or from a faulty client. Rather than fail on the database, it is
/// taken out of every query value and multipart form value as the request comes in, and everything
/// else the person sent is kept, on both databases alike. A URL-encoded form holding %00 never gets
/// this far: ASP.NET Core's form reader refuses it, and the page answers 400. The API refuses it
/// with 400, naming each field; imported review files and framework editions are refused, naming
/// each place (a file holding NUL is damaged).
/// </summary>
public static class NulFreeInput
{
    private const char Nul = '\0';

    private static readonly string[] NulRefused =
    [
        "Text cannot contain the NUL character (U+0000)",
    ];

    public static bool Holds(string? text) =>
        text is not null && text.Contains(Nul, StringComparison.Ordinal);

    public static string Without(string text) =>
        Holds(text) ? text.Replace("\0", "", StringComparison.Ordinal) : text;

    /// <summary>A query value holding NUL (sent as %00) loses it before anything binds to it.</summary>
    public static IApplicationBuilder UseNulFreeQuery(this IApplicationBuilder app) =>
        app.Use(
            (context, next) =>
            {
                var request = context.Request;
                if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
                {
                    request.Query = new QueryCollection(Cleaned(request.Query));
                }
                return next(context);
            }
        );

    /// <summary>The same for a form (a multipart one: see above), once read with its page's limits.</summary>
    public static void CleanForm(HttpRequest request)
    {
        var form = request.Form;
        if (form.Any(field => field.Value.Any(Holds)))
        {
            request.Form = new FormCollection(Cleaned(form), form.Files);
        }
    }

    private static Dictionary<string, StringValues> Cleaned(
        IEnumerable<KeyValuePair<string, StringValues>> values
    ) =>
        // Grouped: "a" and "a%00" are one field once NUL is gone, as if sent twice.
        values
            .GroupBy(field => Without(field.Key), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                group => group.Key,
                group => new StringValues(
                    group
                        .SelectMany(field => field.Value)
                        .Select(v => v is null ? v : Without(v))
                        .ToArray()
                ),
                StringComparer.OrdinalIgnoreCase
            );

    /// <summary>
    /// An API call whose JSON holds NUL in any text is refused with 400, naming each field: a program
    /// sent it, and is told, rather than having its text changed. (Not a JSON converter for strings:
    /// that would hide every string's type from the OpenAPI document.)
    /// </summary>
    public static async ValueTask<object?> RefuseInApiBodies(
        EndpointFilterInvocationContext context,
        EndpointFilterDelegate next
    )
    {
        var fields = context.Arguments.SelectMany(FieldsHoldingNul).ToList();
        return fields.Count == 0
            ? await next(context)
            : TypedResults.ValidationProblem(fields.ToDictionary(field => field, _ => NulRefused));
    }

    // The API's request bodies are flat records of text, numbers and lists of text.
    private static IEnumerable<string> FieldsHoldingNul(object? argument) =>
        argument?.GetType() is not { } type
        || type.Namespace?.StartsWith("Peisc.", StringComparison.Ordinal) != true
            ? []
            : type.GetProperties()
                .Where(p =>
                    p.GetIndexParameters().Length == 0
                    && p.GetValue(argument) switch
                    {
                        string text => Holds(text),
                        IEnumerable<string?> texts => texts.Any(Holds),
                        _ => false,
                    }
                )
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}
