using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Peisc.Web.Web.Govuk;

/// <summary>Shared plumbing for our GOV.UK form tag helpers: names, ids, values and errors from ModelState.</summary>
public abstract class GovukField : TagHelper
{
    [HtmlAttributeName("for")]
    public ModelExpression? For { get; set; }

    // For fields in a loop: a ModelExpression with an index compiles an expression tree on every
    // render, which made the cell page (30 such fields) several times slower.
    [HtmlAttributeName("field-name")]
    public string? FieldName { get; set; }

    [HtmlAttributeName("field-value")]
    public object? FieldValue { get; set; }

    [HtmlAttributeNotBound, ViewContext]
    public ViewContext ViewContext { get; set; } = default!;

    public string? Label { get; set; }
    public string? Hint { get; set; }

    protected string Name =>
        For?.Name
        ?? FieldName
        ?? throw new InvalidOperationException("A GOV.UK field needs for or field-name.");

    protected object? ModelValue => For is not null ? For.Model : FieldValue;

    protected string Id => TagBuilder.CreateSanitizedId(Name, "_");

    protected string? Error =>
        ViewContext.ViewData.ModelState.TryGetValue(Name, out var entry) && entry.Errors.Count > 0
            ? entry.Errors[0].ErrorMessage
            : null;

    // What the user typed comes back when the form has errors, even if it failed to bind.
    protected string? Value =>
        ViewContext.ViewData.ModelState.TryGetValue(Name, out var entry)
        && entry.RawValue is not null
            ? entry.AttemptedValue
            : ModelValue?.ToString();

    protected static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    protected string HintHtml() =>
        Hint is null ? "" : $"<div id=\"{Id}-hint\" class=\"govuk-hint\">{Encode(Hint)}</div>";

    protected string ErrorHtml() =>
        Error is null
            ? ""
            : $"<p id=\"{Id}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {Encode(Error)}</p>";

    protected string DescribedBy()
    {
        var ids = new List<string>();
        if (Hint is not null)
        {
            ids.Add($"{Id}-hint");
        }
        if (Error is not null)
        {
            ids.Add($"{Id}-error");
        }
        return ids.Count == 0 ? "" : $" aria-describedby=\"{string.Join(' ', ids)}\"";
    }

    protected string GroupClass =>
        Error is null ? "govuk-form-group" : "govuk-form-group govuk-form-group--error";

    protected static void Replace(TagHelperOutput output, string html)
    {
        output.TagName = null;
        output.Content.SetHtmlContent(new HtmlString(html));
    }
}

/// <summary>&lt;govuk-input for="Input.Email" label="Email address" type="email" autocomplete="email" /&gt;</summary>
[HtmlTargetElement("govuk-input", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukInputTagHelper : GovukField
{
    public string Type { get; set; } = "text";
    public string? Autocomplete { get; set; }
    public string? InputMode { get; set; }
    public int? MaxLength { get; set; }
    public bool Spellcheck { get; set; } = true;
    public string? WidthClass { get; set; }
    public bool LabelIsPageHeading { get; set; }

    /// <summary>Adds our warning against recording identifiable information, for free-text inputs in reviews.</summary>
    public bool PrivacyWarning { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (PrivacyWarning)
        {
            Hint = (Hint is null ? "" : Hint + " ") + GovukTextareaTagHelper.PrivacyWarning;
        }
        var inputClass =
            "govuk-input"
            + (WidthClass is null ? "" : " " + WidthClass)
            + (Error is null ? "" : " govuk-input--error");
        var value = Type == "password" ? "" : $" value=\"{Encode(Value)}\"";
        var label =
            $"<label class=\"govuk-label{(LabelIsPageHeading ? " govuk-label--l" : "")}\" for=\"{Id}\">{Encode(Label)}</label>";
        if (LabelIsPageHeading)
        {
            label = $"<h1 class=\"govuk-label-wrapper\">{label}</h1>";
        }
        Replace(
            output,
            $"<div class=\"{GroupClass}\">{label}{HintHtml()}{ErrorHtml()}"
                + $"<input class=\"{inputClass}\" id=\"{Id}\" name=\"{Name}\" type=\"{Type}\"{value}"
                + (Autocomplete is null ? "" : $" autocomplete=\"{Autocomplete}\"")
                + (InputMode is null ? "" : $" inputmode=\"{InputMode}\"")
                + (MaxLength is null ? "" : $" maxlength=\"{MaxLength}\"")
                + (Spellcheck ? "" : " spellcheck=\"false\"")
                + $"{DescribedBy()}></div>"
        );
    }
}

/// <summary>A single yes/no checkbox.</summary>
[HtmlTargetElement("govuk-checkbox", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukCheckboxTagHelper : GovukField
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var isChecked = ModelValue is true ? " checked" : "";
        // The hidden "false" makes an unticked box post a value, so the setting can be turned off.
        Replace(
            output,
            $"<div class=\"{GroupClass}\">{ErrorHtml()}<div class=\"govuk-checkboxes\" data-module=\"govuk-checkboxes\"><div class=\"govuk-checkboxes__item\">"
                + $"<input class=\"govuk-checkboxes__input\" id=\"{Id}\" name=\"{Name}\" type=\"checkbox\" value=\"true\"{isChecked}{DescribedBy()}>"
                + $"<label class=\"govuk-label govuk-checkboxes__label\" for=\"{Id}\">{Encode(Label)}</label>{HintHtml().Replace("govuk-hint", "govuk-hint govuk-checkboxes__hint", StringComparison.Ordinal)}</div></div>"
                + $"<input type=\"hidden\" name=\"{Name}\" value=\"false\"></div>"
        );
    }
}

public sealed record RadioOption(string Value, string Label, string? Hint = null);

/// <summary>&lt;govuk-radios for="Input.Role" legend="Role" options="..." /&gt;</summary>
[HtmlTargetElement("govuk-radios", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukRadiosTagHelper : GovukField
{
    public string? Legend { get; set; }
    public IEnumerable<RadioOption> Options { get; set; } = [];
    public bool Small { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var current = Value;
        var items = Options.Select(
            (o, i) =>
            {
                var id = i == 0 ? Id : $"{Id}-{i + 1}";
                var isChecked = string.Equals(o.Value, current, StringComparison.OrdinalIgnoreCase)
                    ? " checked"
                    : "";
                var hint = o.Hint is null
                    ? ""
                    : $"<div id=\"{id}-item-hint\" class=\"govuk-hint govuk-radios__hint\">{Encode(o.Hint)}</div>";
                var described = o.Hint is null ? "" : $" aria-describedby=\"{id}-item-hint\"";
                return $"<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"{id}\" name=\"{Name}\" type=\"radio\" value=\"{Encode(o.Value)}\"{isChecked}{described}>"
                    + $"<label class=\"govuk-label govuk-radios__label\" for=\"{id}\">{Encode(o.Label)}</label>{hint}</div>";
            }
        );
        Replace(
            output,
            $"<div class=\"{GroupClass}\"><fieldset class=\"govuk-fieldset\"{DescribedBy()}><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{Encode(Legend)}</legend>"
                + $"{HintHtml()}{ErrorHtml()}<div class=\"govuk-radios{(Small ? " govuk-radios--small" : "")}\" data-module=\"govuk-radios\">{string.Concat(items)}</div></fieldset></div>"
        );
    }
}

/// <summary>A file upload field.</summary>
[HtmlTargetElement("govuk-file-upload", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukFileUploadTagHelper : GovukField
{
    public string? Accept { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        Replace(
            output,
            $"<div class=\"{GroupClass}\"><label class=\"govuk-label\" for=\"{Id}\">{Encode(Label)}</label>{HintHtml()}{ErrorHtml()}"
                + $"<input class=\"govuk-file-upload{(Error is null ? "" : " govuk-file-upload--error")}\" id=\"{Id}\" name=\"{Name}\" type=\"file\""
                + (Accept is null ? "" : $" accept=\"{Accept}\"")
                + $"{DescribedBy()}></div>"
        );
}

/// <summary>The GOV.UK error summary, built from ModelState; each message links to its field.</summary>
[HtmlTargetElement("govuk-error-summary", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukErrorSummaryTagHelper : TagHelper
{
    [HtmlAttributeNotBound, ViewContext]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext.ViewData.ModelState;
        output.TagName = null;
        if (state.IsValid)
        {
            output.SuppressOutput();
            return;
        }
        var order = new FieldOrder(ViewContext.ViewData.Model?.GetType());
        var items = state
            .Where(e => e.Value is { Errors.Count: > 0 })
            .OrderBy(e => e.Key, order)
            .Select(e =>
            {
                var message = HtmlEncoder.Default.Encode(e.Value!.Errors[0].ErrorMessage);
                var href = string.IsNullOrEmpty(e.Key)
                    ? null
                    : "#" + TagBuilder.CreateSanitizedId(e.Key, "_");
                return href is null
                    ? $"<li>{message}</li>"
                    : $"<li><a href=\"{href}\">{message}</a></li>";
            });
        output.Content.SetHtmlContent(
            new HtmlString(
                "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">"
                    + "<h2 class=\"govuk-error-summary__title\">There is a problem</h2><div class=\"govuk-error-summary__body\">"
                    + $"<ul class=\"govuk-list govuk-error-summary__list\">{string.Concat(items)}</ul></div></div></div>"
            )
        );
    }
}

/// <summary>
/// Orders ModelState keys ("Input.Email", "Items[2].Reasoning") as the fields appear on the page:
/// by the declaration order of the page model's properties, and by index within lists. GOV.UK asks
/// that the error summary follow the order of the form.
/// </summary>
internal sealed class FieldOrder(Type? root) : IComparer<string>
{
    public int Compare(string? x, string? y)
    {
        var a = Path(x ?? "");
        var b = Path(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return a.Count.CompareTo(b.Count);
    }

    private List<int> Path(string key)
    {
        var positions = new List<int>();
        var type = root;
        foreach (var part in key.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            var property = type
                ?.GetProperties()
                .Select((p, i) => (p, i))
                .FirstOrDefault(t => t.p.Name == name);
            positions.Add(property?.p is null ? int.MaxValue : property.Value.i);
            type = property?.p?.PropertyType;
            if (bracket >= 0)
            {
                positions.Add(
                    int.TryParse(part[(bracket + 1)..^1], out var index) ? index : int.MaxValue
                );
                type =
                    type?.IsGenericType == true
                        ? type.GetGenericArguments()[0]
                        : type?.GetElementType();
            }
        }
        return positions;
    }
}

public static class ModelStateExtensions
{
    /// <summary>"Error: " in the page title, as GOV.UK asks, so screen reader users hear it first.</summary>
    public static string TitlePrefix(this ModelStateDictionary state) =>
        state.IsValid ? "" : "Error: ";
}
