using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Peisc.Tests.Infrastructure;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// One form of the app, posted over HTTP as a browser would, with XSS payloads in every text
/// field it has (found on the page, not listed here), over as many submissions as it takes for
/// each field to carry every payload once.
/// </summary>
public sealed partial class XssForm
{
    public required string Name { get; init; }

    /// <summary>The person posting the form; called per submission (a guest needs a new one each time).</summary>
    public required Func<int, Task<HttpClient>> Client { get; init; }

    /// <summary>The page that shows the form, for the given submission.</summary>
    public required Func<int, string> Url { get; init; }

    /// <summary>Picks the form on the page, when the page has several.</summary>
    public string FormSelector { get; init; } = "main form";

    /// <summary>Values for the form's other fields (a choice, a code, a password).</summary>
    public IReadOnlyDictionary<string, string> Fixed { get; init; } =
        new Dictionary<string, string>();

    /// <summary>The longest text the server accepts in a field without a maxlength (by name, indexes as []).</summary>
    public IReadOnlyDictionary<string, int> Limits { get; init; } = new Dictionary<string, int>();

    public int DefaultLimit { get; init; } = 480;

    /// <summary>The choice to make in a group of radios (by name, indexes as []); otherwise what is chosen, or the first.</summary>
    public IReadOnlyDictionary<string, string> Choose { get; init; } =
        new Dictionary<string, string>();

    /// <summary>Pages that show what this submission saved (a record edited in place), checked at once.</summary>
    public Func<int, IEnumerable<string>>? ShownAfterEach { get; init; }

    /// <summary>Pages that show everything this form saved, checked once all submissions are in.</summary>
    public Func<Task<IEnumerable<string>>>? ShownAfterAll { get; init; }

    public int MaxSubmissions { get; init; } = 700;

    /// <summary>Called with the page a submission was saved with, when the app answers with a page rather than a redirect.</summary>
    public Func<Page, Task>? Accepted { get; init; }

    /// <summary>Opens the form when it takes more than a GET (a step that asks for a code first).</summary>
    public Func<HttpClient, string, Task<Page>>? Open { get; init; }

    /// <summary>Anything to do before a submission's form is fetched (reveal a cell, say).</summary>
    public Func<int, Task>? Prepare { get; init; }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();

    public static string FieldKey(string name) => Index().Replace(name, "[]");
}

/// <summary>What happened to the payloads of one form.</summary>
public sealed class XssFormResult(string name)
{
    public string Name { get; } = name;
    public int Submissions { get; set; }
    public Dictionary<string, HashSet<int>> Accepted { get; } = [];
    public Dictionary<string, HashSet<int>> Refused { get; } = [];
    public Dictionary<string, HashSet<int>> Shown { get; } = [];

    public IEnumerable<string> Fields => Accepted.Keys.Union(Refused.Keys);
}

/// <summary>Posts every form's payloads and checks, in Chromium, every page that shows them.</summary>
public sealed class XssRunner(XssWatch watch, Action<string> log)
{
    private static readonly IReadOnlyList<string> Payloads = XssPayloads.All;
    private static readonly List<string> Normalised = Payloads
        .Select(XssPayloads.Normalise)
        .ToList();

    public List<string> Failures { get; } = [];
    public List<string> ServerErrors { get; } = [];
    public List<XssFormResult> Results { get; } = [];
    public HashSet<string> PagesRendered { get; } = [];

    public async Task<XssFormResult> RunAsync(XssForm form)
    {
        var result = new XssFormResult(form.Name);
        Results.Add(result);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await RunAsync(form, result);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Failures.Add($"{form.Name}: {e.GetType().Name}: {e.Message}");
        }
        log($"{form.Name}: {result.Submissions} submissions, {started.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private async Task RunAsync(XssForm form, XssFormResult result)
    {
        var cursors = new Dictionary<string, int>();
        var done = new HashSet<string>();
        HashSet<string>? fields = null;
        for (var s = 0; s < form.MaxSubmissions; s++)
        {
            if (form.Prepare is { } prepare)
            {
                await prepare(s);
            }
            var client = await form.Client(s);
            var url = form.Url(s);
            var page = form.Open is { } open
                ? await open(client, url)
                : await client.GetPageAsync(url);
            var element =
                page.Document.QuerySelector<IHtmlFormElement>(form.FormSelector)
                ?? throw new InvalidOperationException(
                    $"{form.Name}: no form '{form.FormSelector}' on {url}"
                );
            var values = new Dictionary<string, string>(form.Fixed);
            ChooseDefaults(element, values, form.Choose);
            var chunks = new Dictionary<string, List<int>>();
            foreach (var field in TextFields(element).Where(f => !form.Fixed.ContainsKey(f.Name)))
            {
                var key = XssForm.FieldKey(field.Name);
                var limit =
                    field.MaxLength ?? form.Limits.GetValueOrDefault(key, form.DefaultLimit);
                var start = cursors.GetValueOrDefault(key);
                var taken = new List<int>();
                var length = 0;
                var at = start;
                while (taken.Count < XssPayloads.Storable.Count)
                {
                    var next = Payloads[XssPayloads.Storable[at % XssPayloads.Storable.Count]];
                    var added = next.Length + (taken.Count == 0 ? 0 : 1);
                    if (length + added > limit)
                    {
                        break;
                    }
                    taken.Add(XssPayloads.Storable[at % XssPayloads.Storable.Count]);
                    length += added;
                    at++;
                }
                Assert.True(
                    taken.Count > 0,
                    $"{form.Name}: {field.Name} takes {limit} characters, too few for a payload"
                );
                if (at >= XssPayloads.Storable.Count)
                {
                    done.Add(key);
                }
                cursors[key] = at >= XssPayloads.Storable.Count ? 0 : at;
                var separator = field.IsTextarea ? "\n" : " ";
                values[field.Name] = string.Join(separator, taken.Select(i => Payloads[i]));
                chunks[field.Name] = taken;
            }
            fields ??= chunks.Keys.Select(XssForm.FieldKey).ToHashSet();
            if (fields.Count == 0)
            {
                Failures.Add($"{form.Name}: the form at {url} has no text field");
                return;
            }
            var response = await client.SubmitAsync(page, values, form.FormSelector);
            result.Submissions++;
            // Saved: a redirect, or a page without an error summary (a new token is shown once, not redirected to).
            var accepted =
                response.StatusCode
                    is HttpStatusCode.Redirect
                        or HttpStatusCode.Found
                        or HttpStatusCode.SeeOther
                || (
                    response.IsSuccessStatusCode
                    && (await Html.ToPageAsync(response, page.Url)).Find(".govuk-error-summary")
                        is null
                );
            if ((int)response.StatusCode >= 500)
            {
                ServerErrors.Add(
                    $"{form.Name}: {(int)response.StatusCode} for payloads {string.Join(", ", chunks.Values.SelectMany(t => t).Select(i => i + 1))}"
                );
            }
            foreach (var (name, taken) in chunks)
            {
                var bucket = accepted ? result.Accepted : result.Refused;
                var key = XssForm.FieldKey(name);
                if (!bucket.TryGetValue(key, out var set))
                {
                    bucket[key] = set = [];
                }
                set.UnionWith(taken);
            }
            if (accepted && response.IsSuccessStatusCode && form.Accepted is { } hook)
            {
                await hook(await Html.ToPageAsync(response, page.Url));
            }
            if (!accepted && (int)response.StatusCode >= 500)
            {
                // The error page shows nothing of what was sent: render it, there is no echo to check.
                await watch.RenderResponseAsync(page.Url, response);
            }
            else if (!accepted)
            {
                // A form that comes back with errors shows what was typed: in the browser too.
                var echoed = await watch.RenderResponseAsync(page.Url, response);
                PagesRendered.Add($"{form.Name} (returned with errors)");
                CheckShown(
                    result,
                    echoed,
                    chunks.Values.SelectMany(t => t),
                    $"{form.Name}: the form returned with errors ({(int)response.StatusCode})",
                    fieldsFor: chunks
                );
            }
            else if (form.ShownAfterEach is { } shown)
            {
                var text = await RenderAllAsync(shown(s));
                CheckShown(
                    result,
                    text,
                    chunks.Values.SelectMany(t => t),
                    $"{form.Name}, submission {s + 1}",
                    fieldsFor: chunks
                );
            }
            if (done.IsSupersetOf(fields))
            {
                break;
            }
        }
        if (!done.IsSupersetOf(fields ?? []))
        {
            Failures.Add(
                $"{form.Name}: not every field carried every payload in {form.MaxSubmissions} submissions"
            );
        }
        if (form.ShownAfterAll is { } all)
        {
            var text = await RenderAllAsync(await all());
            foreach (var (key, set) in result.Accepted)
            {
                CheckShown(
                    result,
                    text,
                    set,
                    $"{form.Name}: {key}",
                    fieldsFor: new() { [key] = [.. set] }
                );
            }
        }
        await NulCheckAsync(form, result, result.Submissions);
    }

    /// <summary>
    /// The same for a JSON API: each submission sends the next chunk of payloads in each named
    /// field, then the pages that show them are rendered. As with forms, the payloads holding NUL
    /// go in one request of their own, in every field at once: the API refuses text holding NUL.
    /// </summary>
    public async Task RunApiAsync(
        string name,
        IReadOnlyDictionary<string, int> fields,
        Func<int, Dictionary<string, string>, Task<HttpResponseMessage>> send,
        Func<Task<IEnumerable<string>>> shown,
        int maxSubmissions = 700
    )
    {
        var result = new XssFormResult(name);
        Results.Add(result);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var storable = XssPayloads.Storable;
        var cursors = fields.Keys.ToDictionary(k => k, _ => 0);
        var done = new HashSet<string>();
        for (var s = 0; s < maxSubmissions && !done.IsSupersetOf(fields.Keys); s++)
        {
            var values = new Dictionary<string, string>();
            var chunks = new Dictionary<string, List<int>>();
            foreach (var (field, limit) in fields)
            {
                var taken = new List<int>();
                var length = 0;
                var at = cursors[field];
                while (
                    taken.Count < storable.Count
                    && length
                        + Payloads[storable[at % storable.Count]].Length
                        + (taken.Count == 0 ? 0 : 1)
                        <= limit
                )
                {
                    length +=
                        Payloads[storable[at % storable.Count]].Length + (taken.Count == 0 ? 0 : 1);
                    taken.Add(storable[at % storable.Count]);
                    at++;
                }
                if (at >= storable.Count)
                {
                    done.Add(field);
                }
                cursors[field] = at >= storable.Count ? 0 : at;
                values[field] = string.Join("\n", taken.Select(i => Payloads[i]));
                chunks[field] = taken;
            }
            var response = await send(s, values);
            result.Submissions++;
            if ((int)response.StatusCode >= 500)
            {
                ServerErrors.Add(
                    $"{name}: {(int)response.StatusCode} for payloads {string.Join(", ", chunks.Values.SelectMany(t => t).Distinct().Select(i => i + 1))}"
                );
            }
            foreach (var (field, taken) in chunks)
            {
                var bucket = response.IsSuccessStatusCode ? result.Accepted : result.Refused;
                if (!bucket.TryGetValue(field, out var set))
                {
                    bucket[field] = set = [];
                }
                set.UnionWith(taken);
            }
        }
        var withNul = await send(
            result.Submissions,
            fields.Keys.ToDictionary(
                field => field,
                _ => string.Join("\n", XssPayloads.WithNul.Select(i => Payloads[i]))
            )
        );
        result.Submissions++;
        Check(
            withNul.StatusCode == HttpStatusCode.BadRequest,
            $"{name}: text holding NUL answered {(int)withNul.StatusCode}, not 400"
        );
        foreach (var field in fields.Keys)
        {
            if (!result.Refused.TryGetValue(field, out var set))
            {
                result.Refused[field] = set = [];
            }
            set.UnionWith(XssPayloads.WithNul);
        }
        var text = await RenderAllAsync(await shown());
        foreach (var (key, set) in result.Accepted)
        {
            CheckShown(result, text, set, $"{name}: {key}", fieldsFor: new() { [key] = [.. set] });
        }
        log($"{name}: {result.Submissions} requests, {started.Elapsed.TotalSeconds:F1} s");
    }

    // Every NUL payload in every text field at once: the form must be refused, not saved, and
    // what comes back is rendered like any other page.
    private async Task NulCheckAsync(XssForm form, XssFormResult result, int s)
    {
        if (form.Prepare is { } prepare)
        {
            await prepare(s);
        }
        var client = await form.Client(s);
        var page = form.Open is { } open
            ? await open(client, form.Url(s))
            : await client.GetPageAsync(form.Url(s));
        var element = page.Document.QuerySelector<IHtmlFormElement>(form.FormSelector)!;
        var values = new Dictionary<string, string>(form.Fixed);
        ChooseDefaults(element, values, form.Choose);
        var separator = "\n";
        foreach (var field in TextFields(element).Where(f => !form.Fixed.ContainsKey(f.Name)))
        {
            values[field.Name] = string.Join(
                field.IsTextarea ? separator : " ",
                XssPayloads.WithNul.Select(i => Payloads[i])
            );
            var key = XssForm.FieldKey(field.Name);
            if (!result.Refused.TryGetValue(key, out var set))
            {
                result.Refused[key] = set = [];
            }
            set.UnionWith(XssPayloads.WithNul);
        }
        var response = await client.SubmitAsync(page, values, form.FormSelector);
        result.Submissions++;
        if ((int)response.StatusCode >= 500)
        {
            ServerErrors.Add($"{form.Name}: {(int)response.StatusCode} for a form holding NUL");
        }
        Check(
            response.StatusCode
                is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther),
            $"{form.Name}: a form holding NUL was saved"
        );
        await watch.RenderResponseAsync(page.Url, response);
    }

    private async Task<string> RenderAllAsync(IEnumerable<string> paths)
    {
        var texts = new List<string>();
        foreach (var path in paths)
        {
            texts.Add(await watch.RenderAsync(path));
            PagesRendered.Add(Template(path));
        }
        return string.Join("\n", texts);
    }

    private void CheckShown(
        XssFormResult result,
        string text,
        IEnumerable<int> payloads,
        string where,
        Dictionary<string, List<int>> fieldsFor
    )
    {
        var missing = payloads
            .Where(i => !text.Contains(Normalised[i], StringComparison.Ordinal))
            .ToList();
        foreach (var (name, taken) in fieldsFor)
        {
            var key = XssForm.FieldKey(name);
            if (!result.Shown.TryGetValue(key, out var set))
            {
                result.Shown[key] = set = [];
            }
            set.UnionWith(taken.Except(missing));
        }
        if (missing.Count > 0)
        {
            Failures.Add(
                $"{where}: {missing.Count} payloads not shown as text, e.g. {string.Join(" | ", missing.Take(3).Select(i => $"#{i + 1} {Payloads[i]}"))}"
            );
        }
    }

    // Guids and numbers in a path stand for the record, so the report lists each kind of page once.
    private static string Template(string path) =>
        Regex.Replace(
            path.Split('?')[0],
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|/[A-Za-z0-9_-]{20,}$",
            "{id}"
        )
        + (
            path.Contains('?', StringComparison.Ordinal)
                ? "?" + path.Split('?')[1].Split('=')[0] + "=..."
                : ""
        );

    /// <summary>Free-text inputs and textareas: not hidden, not e-mail, password or numeric (dates, codes).</summary>
    private static IEnumerable<(string Name, int? MaxLength, bool IsTextarea)> TextFields(
        IHtmlFormElement form
    )
    {
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name]"))
        {
            var name = element.GetAttribute("name")!;
            if (element is IHtmlTextAreaElement)
            {
                yield return (name, MaxLength(element), true);
                continue;
            }
            var type = (element.GetAttribute("type") ?? "text").ToLowerInvariant();
            if (
                type is "text" or "search" or "url"
                && element.GetAttribute("inputmode") != "numeric"
            )
            {
                yield return (name, MaxLength(element), false);
            }
        }
    }

    private static int? MaxLength(IElement element) =>
        int.TryParse(element.GetAttribute("maxlength"), out var max) ? max : null;

    // Radios with none chosen get their first choice, selects with none their first real option:
    // what a person would pick to get the form accepted.
    private static void ChooseDefaults(
        IHtmlFormElement form,
        Dictionary<string, string> values,
        IReadOnlyDictionary<string, string> choose
    )
    {
        foreach (
            var group in form.QuerySelectorAll<IHtmlInputElement>("input[type=radio][name]")
                .GroupBy(r => r.Name!)
        )
        {
            if (values.ContainsKey(group.Key))
            {
                continue;
            }
            if (choose.GetValueOrDefault(XssForm.FieldKey(group.Key)) is { } chosen)
            {
                values[group.Key] = chosen;
            }
            else if (!group.Any(r => r.IsChecked))
            {
                values[group.Key] = group.First().Value;
            }
        }
        foreach (var select in form.QuerySelectorAll<IHtmlSelectElement>("select[name]"))
        {
            if (!values.ContainsKey(select.Name!))
            {
                var option =
                    select.Options.FirstOrDefault(o => o.IsSelected && o.Value != "")
                    ?? select.Options.FirstOrDefault(o => o.Value != "");
                if (option is not null)
                {
                    values[select.Name!] = option.Value;
                }
            }
        }
    }

    public void Check(bool condition, string failure)
    {
        if (!condition)
        {
            Failures.Add(failure);
        }
    }

    public async Task<string> RenderAsync(string path, int? status = 200)
    {
        PagesRendered.Add(Template(path));
        return await watch.RenderAsync(path, status);
    }
}
