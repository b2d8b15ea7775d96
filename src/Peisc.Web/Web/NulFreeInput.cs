using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Primitives;

namespace Peisc.Web.Web;

/// <summary>
/// NUL (U+0000) cannot be typed, and PostgreSQL cannot store it in text: it arrives only in text
/// pasted from a binary file or from a faulty client. Rather than fail on the database, it is
/// taken out of every query value, multipart form value and JSON string as the request comes in,
/// and everything else the person sent is kept, on both databases alike. (A URL-encoded form
/// holding %00 never gets this far: ASP.NET Core's form reader refuses it, and the page answers 400.
/// Imported review files and framework editions are refused, naming each place: a file holding NUL
/// is damaged.)
/// </summary>
public static class NulFreeInput
{
    private const char Nul = '\0';

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

    /// <summary>Every string an API call reads from its JSON body.</summary>
    public sealed class JsonConverter : JsonConverter<string>
    {
        public override string? Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) => reader.GetString() is { } text ? Without(text) : null;

        public override void Write(
            Utf8JsonWriter writer,
            string value,
            JsonSerializerOptions options
        ) => writer.WriteStringValue(value);
    }
}
