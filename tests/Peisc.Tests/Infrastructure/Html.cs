using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Peisc.Tests.Infrastructure;

/// <summary>A page as a browser would see it: its address, status and parsed HTML.</summary>
public sealed record Page(
    Uri Url,
    HttpStatusCode Status,
    IHtmlDocument Document,
    HttpResponseMessage Response
)
{
    public string Text => Document.Body?.TextContent ?? "";

    public IElement? Find(string selector) => Document.QuerySelector(selector);

    public IEnumerable<IElement> FindAll(string selector) => Document.QuerySelectorAll(selector);

    public IReadOnlyList<string> ErrorSummary =>
        FindAll(".govuk-error-summary__list li").Select(li => Normalise(li.TextContent)).ToList();

    public string Heading => Normalise(Find("h1")?.TextContent ?? "");

    /// <summary>The antiforgery token the page's forms carry (every form on a page has the same one).</summary>
    public string? AntiforgeryToken =>
        Find("input[name=__RequestVerificationToken]")?.GetAttribute("value");

    public static string Normalise(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static async Task<Page> GetPageAsync(
        this HttpClient client,
        string url,
        HttpStatusCode expected = HttpStatusCode.OK
    )
    {
        var response = await client.GetAsync(url);
        var page = await ToPageAsync(response, new Uri(client.BaseAddress!, url));
        Assert.True(
            page.Status == expected,
            $"GET {url}: expected {(int)expected}, got {(int)page.Status} {page.Response.Headers.Location}\n{page.Heading}"
        );
        return page;
    }

    /// <summary>Submits a form on the page, as a browser would: its hidden fields (the antiforgery token among them), current values, and ours.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        this HttpClient client,
        Page page,
        IDictionary<string, string>? values = null,
        string formSelector = "main form"
    )
    {
        var form =
            page.Document.QuerySelector<IHtmlFormElement>(formSelector)
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Url}");
        var fields = InputFields(form);
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            fields.RemoveAll(f => f.Key == name && !IsHiddenFalse(form, name, f.Value));
            fields.Insert(0, new(name, value));
        }
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Url : new Uri(page.Url, action);
        return await client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    /// <summary>A form's inputs (checked boxes only, no files or buttons) and text areas with their current values.</summary>
    public static List<KeyValuePair<string, string>> InputFields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll<IHtmlInputElement>("input[name]"))
        {
            var type = input.Type.ToLowerInvariant();
            if (type is "file" or "submit" || (type is "checkbox" or "radio" && !input.IsChecked))
            {
                continue;
            }
            fields.Add(new(input.Name!, input.Value));
        }
        foreach (var textarea in form.QuerySelectorAll<IHtmlTextAreaElement>("textarea[name]"))
        {
            fields.Add(new(textarea.Name!, textarea.Value));
        }
        return fields;
    }

    /// <summary>Tries to sign in through the page; returns the page that answered.</summary>
    public static async Task<Page> TrySignInAsync(
        this HttpClient client,
        string email,
        string password
    )
    {
        var page = await client.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }
        );
        return await ToPageAsync(response, page.Url);
    }

    /// <summary>Submits a multipart form with a file chosen in its file field, as a browser would.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        this HttpClient client,
        Page page,
        string fileField,
        string fileName,
        byte[] content,
        string formSelector = "main form"
    )
    {
        var form =
            page.Document.QuerySelector<IHtmlFormElement>(formSelector)
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Url}");
        Assert.NotNull(form.QuerySelector($"input[type=file][name='{fileField}']"));
        using var body = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll<IHtmlInputElement>("input[name]"))
        {
            var type = input.Type.ToLowerInvariant();
            if (type is "file" or "submit" || (type is "checkbox" or "radio" && !input.IsChecked))
            {
                continue;
            }
            body.Add(new StringContent(input.Value), input.Name!);
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(
            "application/json"
        );
        body.Add(file, fileField, fileName);
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Url : new Uri(page.Url, action);
        return await client.PostAsync(target, body);
    }

    // Our checkboxes post a hidden "false" after the box, as ASP.NET expects: keep it when ticking.
    private static bool IsHiddenFalse(IHtmlFormElement form, string name, string value) =>
        value == "false"
        && form.QuerySelector($"input[type=hidden][name='{name}'][value=false]") is not null;

    public static async Task<Page> SubmitAndFollowAsync(
        this HttpClient client,
        Page page,
        IDictionary<string, string>? values = null,
        string formSelector = "main form"
    )
    {
        var response = await client.SubmitAsync(page, values, formSelector);
        return await client.FollowAsync(response, page.Url);
    }

    /// <summary>Follows redirects from a response and returns the page it ends on.</summary>
    public static async Task<Page> FollowAsync(
        this HttpClient client,
        HttpResponseMessage response,
        Uri from
    )
    {
        var url = from;
        for (
            var hops = 0;
            hops < 5
                && response.StatusCode
                    is HttpStatusCode.Redirect
                        or HttpStatusCode.Found
                        or HttpStatusCode.SeeOther;
            hops++
        )
        {
            url = new Uri(url, response.Headers.Location!);
            response = await client.GetAsync(url);
        }
        return await ToPageAsync(response, url);
    }

    /// <summary>The path a redirect leads to, whether its Location is relative or absolute.</summary>
    public static string? LocationPath(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.AbsolutePath
        : new Uri(new Uri("http://localhost"), location).AbsolutePath;

    public static async Task<Page> ToPageAsync(HttpResponseMessage response, Uri url)
    {
        var html = await response.Content.ReadAsStringAsync();
        return new Page(url, response.StatusCode, await Parser.ParseDocumentAsync(html), response);
    }
}
