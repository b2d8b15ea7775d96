using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;

namespace Peisc.Tests.Trust;

/// <summary>
/// One way to call one endpoint: a page handler, or a verb of a minimal API or hub endpoint.
/// Parameters lists the handler's own Guid parameters (ids that travel in the query or form).
/// </summary>
public sealed record EndpointCall(
    string Pattern,
    string Verb,
    string? Handler,
    IReadOnlyList<string> Parameters,
    bool IsPage
)
{
    public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);

    public bool ChangesState => Verb is not ("GET" or "HEAD" or "OPTIONS");

    public string Key =>
        $"{Verb} {Pattern}" + (Handler is { Length: > 0 } ? $" ?handler={Handler}" : "");

    public override string ToString() => Key;
}

/// <summary>Finds every endpoint the application maps, and fills in and sends requests to them.</summary>
public static partial class TrustEndpoints
{
    /// <summary>Every page handler and every verb of every other endpoint, from EndpointDataSource.</summary>
    public static List<EndpointCall> Discover(TestApp app)
    {
        var calls = new List<EndpointCall>();
        foreach (
            var endpoint in app
                .Services.GetRequiredService<EndpointDataSource>()
                .Endpoints.OfType<RouteEndpoint>()
        )
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var page = endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>();
            if (page is not null)
            {
                foreach (var handler in page.HandlerMethods)
                {
                    calls.Add(
                        new EndpointCall(
                            pattern,
                            handler.HttpMethod.ToUpperInvariant(),
                            handler.Name,
                            handler
                                .Parameters.Where(p =>
                                    (
                                        p.ParameterInfo.ParameterType == typeof(Guid)
                                        || p.ParameterInfo.ParameterType == typeof(Guid?)
                                    ) && !pattern.Contains("{" + p.Name, StringComparison.Ordinal)
                                )
                                .Select(p => p.Name)
                                .ToList(),
                            true
                        )
                    );
                }
                // A page with no GET handler still renders on GET.
                if (!page.HandlerMethods.Any(h => h.HttpMethod == "Get" && h.Name is null))
                {
                    calls.Add(new EndpointCall(pattern, "GET", null, [], true));
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
                is { Count: > 0 } m
                ? m
                : [HttpMethods.Get, HttpMethods.Post];
            foreach (var method in methods.Distinct())
            {
                calls.Add(new EndpointCall(pattern, method, null, [], false));
            }
        }
        // A route the app maps twice (the same page for two verbs) is one call.
        return calls.DistinctBy(c => c.Key).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The kind of record a route or handler parameter names, or null if it names none.</summary>
    public static string? KindOf(string pattern, string parameter) =>
        parameter switch
        {
            "id"
                when pattern.StartsWith("/reviews/", StringComparison.Ordinal)
                    || pattern.StartsWith("/api/v1/reviews/", StringComparison.Ordinal) => "review",
            "id" when pattern.StartsWith("/workshops/", StringComparison.Ordinal) => "workshop",
            "id" when pattern.StartsWith("/organisation/members/{", StringComparison.Ordinal) =>
                "membership",
            "id" when pattern == "/organisation/members" => "invitation",
            "id" when pattern.StartsWith("/organisation/editions/", StringComparison.Ordinal) =>
                "edition",
            "id" when pattern == "/account/tokens" => "access-token",
            // The built-in frameworks are public, the same for every organisation.
            "id" when pattern.StartsWith("/api/v1/frameworks/", StringComparison.Ordinal) => null,
            "actionId" => "action",
            "invitationId" when pattern.Contains("/voices", StringComparison.Ordinal) =>
                "voice-invitation",
            "contributionId" => "contribution",
            "itemId" or "sectionId" or "domainId" or "code" or "documentName" or "path" => null,
            // A link's token is its holder's credential, not an id: tried in the anonymous walk.
            "token" => null,
            _ => throw new InvalidOperationException(
                $"The access tests do not know what {{{parameter}}} in {pattern} names: teach TrustEndpoints.KindOf."
            ),
        };

    public static string IdOf(TrustRecords records, string kind) =>
        kind switch
        {
            "review" => records.ReviewId.ToString(),
            "workshop" => records.WorkshopId.ToString(),
            "membership" => records
                .Organisation[Peisc.Web.Data.MemberRole.Viewer]
                .MembershipId.ToString(),
            "invitation" => records.InvitationId.ToString(),
            "edition" => records.EditionId.ToString(),
            "access-token" => records.AccessTokenId.ToString(),
            "action" => records.ActionId.ToString(),
            "voice-invitation" => records.VoiceInvitationId.ToString(),
            "contribution" => records.ContributionId.ToString(),
            _ => throw new InvalidOperationException(kind),
        };

    /// <summary>The route's parameters, in order.</summary>
    public static List<string> RouteParameters(string pattern) =>
        RouteParameter().Matches(pattern).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Whether any route or handler parameter names a record.</summary>
    public static bool CarriesId(EndpointCall call) =>
        RouteParameters(call.Pattern)
            .Concat(call.Parameters)
            .Any(p => KindOf(call.Pattern, p) is not null);

    /// <summary>The URL with route parameters filled: ids from the records given, everything else with a valid value.</summary>
    public static string Fill(
        string pattern,
        Func<string, string> id,
        TrustRecords? tokens = null
    ) =>
        RouteParameter()
            .Replace(
                pattern,
                m =>
                    m.Groups[1].Value switch
                    {
                        "itemId" => TrustRecords.ItemId,
                        "sectionId" => TrustRecords.SectionId,
                        "domainId" => TrustRecords.DomainId,
                        "code" => "404",
                        "documentName" => "v1",
                        "path" => "no/such/page",
                        "token" when pattern.StartsWith("/voices/", StringComparison.Ordinal) =>
                            tokens?.VoiceToken ?? "not-a-token",
                        "token" => tokens?.InvitationToken ?? "not-a-token",
                        // A built-in framework's id: public, and the same for everyone.
                        var other => KindOf(pattern, other) is { } kind ? id(kind) : "peisc",
                    }
            );

    public static string Query(EndpointCall call, Func<string, string> id)
    {
        var parts = new List<string>();
        if (call.Handler is { Length: > 0 })
        {
            parts.Add("handler=" + call.Handler);
        }
        parts.AddRange(call.Parameters.Select(p => $"{p}={id(KindOf(call.Pattern, p)!)}"));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>A body that any form or API write of the app would take as plausible.</summary>
    public static HttpContent? Body(
        EndpointCall call,
        string? antiforgeryToken,
        IDictionary<string, string>? extra = null
    )
    {
        if (!call.ChangesState)
        {
            return null;
        }
        if (call.IsApi)
        {
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["title"] = "Probe",
                ["innovation"] = "Probe",
                ["serviceArea"] = "Children",
                ["situationId"] = "situation.2",
                ["stageId"] = "stage.3",
                ["position"] = "Concern",
                ["reasoning"] = "Probe",
                ["voices"] = new System.Text.Json.Nodes.JsonArray(),
                ["version"] = 1,
                ["status"] = "Open",
                ["itemIds"] = new System.Text.Json.Nodes.JsonArray(),
                ["ownerName"] = "Probe",
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                json[key] = value;
            }
            return new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
        }
        var fields = new Dictionary<string, string>
        {
            ["Role"] = "Viewer",
            ["ConfirmRemove"] = "true",
            ["ConfirmDelete"] = "true",
            ["Confirm"] = "true",
            ["Position"] = "Concern",
            ["Body"] = "Probe",
            ["Input.Title"] = "Probe",
            ["Input.Name"] = "Probe",
            ["Input.Text"] = "Probe",
            ["Input.Position"] = "Concern",
            ["Input.Reasoning"] = "Probe",
            ["Input.Status"] = "Open",
            ["Input.StageId"] = "stage.3",
            ["StageId"] = "stage.3",
            ["Minutes"] = "3",
            ["Index"] = "1",
        };
        if (antiforgeryToken is not null)
        {
            fields["__RequestVerificationToken"] = antiforgeryToken;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>The response body as text: the text inside Word and Excel files, for searching.</summary>
    public static async Task<string> ReadableBodyAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K')
        {
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var text = new StringBuilder();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                text.AppendLine(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        return Encoding.UTF8.GetString(bytes)
            + string.Join(
                "\n",
                response
                    .Headers.Concat(response.Content.Headers)
                    .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
            );
    }

    public static bool AskedToSignIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        || (
            response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location!.OriginalString.Contains(
                "/account/sign-in?returnUrl=",
                StringComparison.Ordinal
            )
        );

    public static bool RoleRefused(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (
            response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location!.OriginalString.Contains(
                "/account/access-denied",
                StringComparison.Ordinal
            )
        );

    public static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}"
        + (response.Headers.Location is { } l ? " -> " + l.OriginalString : "");

    /// <summary>Status and where a redirect leads, leaving out the return address (which names the id).</summary>
    public static string Shape(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}"
        + (response.Headers.Location is { } l ? " -> " + l.OriginalString.Split('?')[0] : "");

    public static HttpRequestMessage Request(string verb, string url, HttpContent? body) =>
        new(new HttpMethod(verb), url) { Content = body };

    public static MediaTypeHeaderValue Json => new("application/json");

    [GeneratedRegex(@"\{\*?([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
