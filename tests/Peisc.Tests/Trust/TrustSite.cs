using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Trust;

/// <summary>One thing the app answers: a route with its ids filled in, a method, and what a valid request carries.</summary>
public sealed record SiteTarget(
    string Template,
    string Method,
    string Path,
    string? Handler,
    bool IsPage,
    bool IsApi,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    string? Json
)
{
    public string Url => Handler is null ? Path : $"{Path}?handler={Handler}";

    public override string ToString() => $"{Method} {Url}";
}

/// <summary>A form as a signed-in owner sees it on a page.</summary>
public sealed record SiteForm(
    string PagePath,
    string Action,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    IReadOnlyList<string> TextFields
);

/// <summary>
/// A seeded organisation (an owner with an API token, a review with two rounds, answers, an action,
/// a live session and a lived-experience invitation) and every endpoint of the app, discovered from
/// EndpointDataSource with its route ids filled from that organisation, so an endpoint added later is
/// walked without anyone listing it.
/// </summary>
public sealed class TrustSite
{
    private TrustSite(TestApp app, TestOrganisation org) => (App, Org) = (app, org);

    public TestApp App { get; }
    public Uri? BaseAddress { get; private init; }
    public TestOrganisation Org { get; }
    public Guid ReviewId { get; private set; }
    public Guid ActionId { get; private set; }
    public Guid WorkshopId { get; private set; }
    public string VoiceToken { get; private set; } = "";
    public string ItemId { get; private set; } = "";
    public string OwnerToken { get; private set; } = "";
    public List<RouteEndpoint> Endpoints { get; } = [];
    public List<SiteTarget> Targets { get; } = [];
    public List<SiteForm> Forms { get; } = [];

    /// <param name="baseAddress">Where the owner's browser reaches the app: Kestrel's address, or an https one.</param>
    public static async Task<TrustSite> CreateAsync(TestApp app, Uri? baseAddress = null)
    {
        var org = await app.CreateOrganisationAsync();
        var site = new TrustSite(app, org) { BaseAddress = baseAddress };
        await site.SeedAsync();
        await site.DiscoverAsync();
        return site;
    }

    private async Task SeedAsync()
    {
        var review = await App.CreateReviewAsync(Org, "Family group conferencing pilot");
        ReviewId = review.Id;
        var cell = ReviewData.Peisc.Sections[0].Cells[0];
        ItemId = cell.Items[0].Id;
        await App.AnswerAsync(Org, review.Id, cell.Items[0].Id, Position.Concern, "Consent.");
        await App.AnswerAsync(Org, review.Id, cell.Items[1].Id, Position.Addressed, "Fine.");
        var action = await App.CreateActionAsync(
            Org,
            review.Id,
            "Ask families",
            null,
            ActionStatus.Open,
            cell.Items[0].Id
        );
        ActionId = action.Id;
        await App.StartRoundAsync(Org, review.Id, "stage.3");
        await App.AnswerAsync(
            Org,
            review.Id,
            cell.Items[0].Id,
            Position.PartlyAddressed,
            "Round two."
        );
        WorkshopId = (await App.StartWorkshopAsync(Org, review.Id, cell.Id)).Id;
        VoiceToken = (await App.InviteVoicesAsync(Org, review.Id)).Token;
        OwnerToken = await App.CreateAccessTokenAsync(Org, Org.Owner);
    }

    /// <summary>The value a route parameter takes in the seeded organisation.</summary>
    public string RouteValue(string template, string name) =>
        name.ToLowerInvariant() switch
        {
            "id" when template.StartsWith("/workshops", StringComparison.Ordinal) =>
                WorkshopId.ToString(),
            "id" when template.StartsWith("/organisation/members", StringComparison.Ordinal) => Org[
                MemberRole.Contributor
            ]
                .MembershipId.ToString(),
            "id" when template.Contains("reviews", StringComparison.Ordinal) => ReviewId.ToString(),
            "id" => Guid.NewGuid().ToString(),
            "actionid" => ActionId.ToString(),
            "sectionid" => ReviewData.Peisc.Sections[0].Id,
            "domainid" => ReviewData.Peisc.Sections[0].Cells[0].Domain,
            "itemid" => ItemId,
            "token" when template.StartsWith("/voices", StringComparison.Ordinal) => VoiceToken,
            "token" => "no-such-invitation",
            "code" => "404",
            "documentname" => "v1",
            _ => "x",
        };

    public string Fill(RoutePattern pattern)
    {
        var raw = "/" + (pattern.RawText ?? "").TrimStart('/');
        var segments = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                text += part switch
                {
                    RoutePatternLiteralPart l => l.Content,
                    RoutePatternSeparatorPart s => s.Content,
                    RoutePatternParameterPart p when p.IsOptional && p.Name == "code" => "404",
                    RoutePatternParameterPart p when p.IsCatchAll => "no-such-page",
                    RoutePatternParameterPart p => Uri.EscapeDataString(RouteValue(raw, p.Name)),
                    _ => "",
                };
            }
            segments.Add(text);
        }
        return "/" + string.Join('/', segments.Where(s => s.Length > 0));
    }

    private async Task DiscoverAsync()
    {
        var services = App.Services;
        var source = services.GetRequiredService<EndpointDataSource>();
        var loader = services.GetRequiredService<PageLoader>();
        var parser = new HtmlParser();
        var owner = await SignedInOwnerAsync();
        var seen = new HashSet<string>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            Endpoints.Add(endpoint);
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var path = Fill(endpoint.RoutePattern);
            var isApi = template.StartsWith("/api", StringComparison.Ordinal);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                Add(new SiteTarget(template, "GET", path, null, true, false, [], null));
                var response = await owner.GetAsync(path);
                var document = await parser.ParseDocumentAsync(
                    await response.Content.ReadAsStringAsync()
                );
                foreach (var form in document.QuerySelectorAll<IHtmlFormElement>("form"))
                {
                    if (!string.Equals(form.Method, "post", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }
                    var action = form.GetAttribute("action") is { Length: > 0 } a
                        ? new Uri(new Uri("http://localhost" + path), a).PathAndQuery
                        : path;
                    var fields = FormFields(form);
                    var texts = form.QuerySelectorAll("textarea[name], input[name]")
                        .Where(e =>
                            e is IHtmlTextAreaElement
                            || (
                                e is IHtmlInputElement i
                                && i.Type.ToLowerInvariant()
                                    is "text"
                                        or "email"
                                        or "search"
                                        or "tel"
                                        or "url"
                                        or "password"
                                        or "number"
                            )
                        )
                        .Select(e => e.GetAttribute("name")!)
                        .ToList();
                    Forms.Add(new SiteForm(path, action, fields, texts));
                    var handler = HandlerOf(action);
                    Add(
                        new SiteTarget(
                            template,
                            "POST",
                            action.Split('?')[0],
                            handler,
                            true,
                            false,
                            fields,
                            null
                        )
                    );
                }
                // Handlers no rendered form posts to still answer: post to them with their bound names.
                foreach (var handler in compiled.HandlerMethods)
                {
                    if (handler.HttpMethod != "Post")
                    {
                        continue;
                    }
                    Add(
                        new SiteTarget(
                            template,
                            "POST",
                            path,
                            handler.Name,
                            true,
                            false,
                            BoundFields(compiled),
                            null
                        )
                    );
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (methods.Count == 0)
            {
                methods = ["GET", "POST"];
            }
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var json = accepts?.RequestType is { } type ? SampleJson(type) : null;
            foreach (var method in methods)
            {
                Add(new SiteTarget(template, method, path, null, false, isApi, [], json));
            }
        }

        void Add(SiteTarget target)
        {
            if (seen.Add(target.ToString()))
            {
                Targets.Add(target);
            }
        }
    }

    private static string? HandlerOf(string action)
    {
        var query = action.Split('?', 2);
        if (query.Length < 2)
        {
            return null;
        }
        foreach (var pair in query[1].Split('&'))
        {
            if (pair.StartsWith("handler=", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair["handler=".Length..]);
            }
        }
        return null;
    }

    public static List<KeyValuePair<string, string>> FormFields(IHtmlFormElement form)
    {
        var fields = Html.InputFields(form);
        foreach (var select in form.QuerySelectorAll<IHtmlSelectElement>("select[name]"))
        {
            fields.Add(new(select.Name!, select.Value ?? ""));
        }
        return fields;
    }

    // The names a page binds from a form: its [BindProperty] properties, and those of their types.
    private static List<KeyValuePair<string, string>> BoundFields(CompiledPageActionDescriptor page)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var property in page.BoundProperties)
        {
            var type = property.ParameterType;
            if (IsSimple(type))
            {
                fields.Add(new(property.Name, SampleText(type)));
                continue;
            }
            var element = type.IsGenericType ? type.GetGenericArguments()[0] : type;
            var prefix = type.IsGenericType ? $"{property.Name}[0]" : property.Name;
            foreach (
                var inner in element.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            )
            {
                if (inner.CanWrite)
                {
                    fields.Add(new($"{prefix}.{inner.Name}", SampleText(inner.PropertyType)));
                }
            }
        }
        return fields;
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive
            || t.IsEnum
            || t == typeof(string)
            || t == typeof(Guid)
            || t == typeof(DateOnly)
            || t == typeof(DateTime)
            || t == typeof(decimal);
    }

    private static string SampleText(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsEnum ? Enum.GetNames(t)[0]
            : t == typeof(bool) ? "true"
            : t == typeof(Guid) ? Guid.Empty.ToString()
            : t == typeof(DateOnly) ? "2027-01-31"
            : t.IsPrimitive ? "1"
            : "A plain answer";
    }

    /// <summary>A valid-looking JSON body for a request type: every property with a plain value.</summary>
    public static string SampleJson(Type type) => JsonSerializer.Serialize(SampleValue(type, 0));

    private static object? SampleValue(Type type, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return "A plain answer";
        }
        if (t.IsEnum)
        {
            return Enum.GetNames(t)[0];
        }
        if (t == typeof(bool))
        {
            return true;
        }
        if (t == typeof(Guid))
        {
            return Guid.Empty;
        }
        if (t == typeof(DateOnly))
        {
            return "2027-01-31";
        }
        if (t == typeof(DateTime))
        {
            return "2027-01-31T00:00:00Z";
        }
        if (t.IsPrimitive || t == typeof(decimal))
        {
            return 1;
        }
        if (depth > 3)
        {
            return null;
        }
        if (
            t.IsArray
            || (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
        )
        {
            var element = t.IsArray ? t.GetElementType()! : t.GetGenericArguments()[0];
            return new[] { SampleValue(element, depth + 1) };
        }
        var result = new Dictionary<string, object?>();
        foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            result[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = SampleValue(
                property.PropertyType,
                depth + 1
            );
        }
        return result;
    }

    private async Task<HttpClient> SignedInOwnerAsync()
    {
        // Kestrel's address has a port of its own: a real socket with a cookie jar of its own.
        var client = BaseAddress is { IsDefaultPort: false }
            ? new HttpClient(
                new HttpClientHandler
                {
                    CookieContainer = new CookieContainer(),
                    AllowAutoRedirect = false,
                }
            )
            {
                BaseAddress = BaseAddress,
            }
            : App.CreateClient(
                new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
                {
                    AllowAutoRedirect = false,
                    HandleCookies = true,
                    BaseAddress = BaseAddress ?? new Uri("http://localhost"),
                }
            );
        await client.SignInAsync(Org.Owner.Email);
        return client;
    }

    /// <summary>A client signed in as the owner, and the antiforgery token its forms carry.</summary>
    public async Task<(HttpClient Client, string Token)> OwnerBrowserAsync()
    {
        var client = await SignedInOwnerAsync();
        var page = await client.GetPageAsync("/account/tokens");
        return (client, page.AntiforgeryToken!);
    }
}
