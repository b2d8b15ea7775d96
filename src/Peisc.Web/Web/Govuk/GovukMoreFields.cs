using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Peisc.Web.Web.Govuk;

/// <summary>&lt;govuk-textarea for="Input.Reasoning" label="Reasoning" privacy-warning="true" /&gt;</summary>
[HtmlTargetElement("govuk-textarea", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukTextareaTagHelper : GovukField
{
    public const string PrivacyWarning =
        "Do not include names or other details that could identify a child, family or adult who uses services.";

    public int Rows { get; set; } = 4;
    public int? MaxLength { get; set; }
    public bool LabelBold { get; set; }

    /// <summary>Adds our warning against recording identifiable information about people who use services.</summary>
    public bool PrivacyWarningShown { get; set; } = true;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var hints = new List<string>();
        if (Hint is not null)
        {
            hints.Add(Encode(Hint));
        }
        if (PrivacyWarningShown)
        {
            hints.Add($"<span class=\"app-privacy-warning\">{Encode(PrivacyWarning)}</span>");
        }
        var hintHtml =
            hints.Count == 0
                ? ""
                : $"<div id=\"{Id}-hint\" class=\"govuk-hint\">{string.Join(" ", hints)}</div>";
        var described = new List<string>();
        if (hints.Count > 0)
        {
            described.Add($"{Id}-hint");
        }
        if (Error is not null)
        {
            described.Add($"{Id}-error");
        }
        var aria =
            described.Count == 0 ? "" : $" aria-describedby=\"{string.Join(' ', described)}\"";
        Replace(
            output,
            $"<div class=\"{GroupClass}\"><label class=\"govuk-label{(LabelBold ? " govuk-label--s" : "")}\" for=\"{Id}\">{Encode(Label)}</label>{hintHtml}{ErrorHtml()}"
                + $"<textarea class=\"govuk-textarea{(Error is null ? "" : " govuk-textarea--error")}\" id=\"{Id}\" name=\"{Name}\" rows=\"{Rows}\""
                + (MaxLength is null ? "" : $" maxlength=\"{MaxLength}\"")
                + $"{aria}>{Encode(Value)}</textarea></div>"
        );
    }
}

public sealed record CheckboxOption(string Value, string Label, bool Checked, string? Hint = null);

/// <summary>A group of checkboxes posting several values under one name.</summary>
[HtmlTargetElement("govuk-checkboxes", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukCheckboxesTagHelper : GovukField
{
    public string? Legend { get; set; }
    public IEnumerable<CheckboxOption> Options { get; set; } = [];
    public bool Small { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var items = Options.Select(
            (o, i) =>
            {
                var id = i == 0 ? Id : $"{Id}-{i + 1}";
                return $"<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"{id}\" name=\"{Name}\" type=\"checkbox\" value=\"{Encode(o.Value)}\"{(o.Checked ? " checked" : "")}>"
                    + $"<label class=\"govuk-label govuk-checkboxes__label\" for=\"{id}\">{Encode(o.Label)}</label></div>";
            }
        );
        Replace(
            output,
            $"<div class=\"{GroupClass}\"><fieldset class=\"govuk-fieldset\"{DescribedBy()}><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{Encode(Legend)}</legend>"
                + $"{HintHtml()}{ErrorHtml()}<div class=\"govuk-checkboxes{(Small ? " govuk-checkboxes--small" : "")}\" data-module=\"govuk-checkboxes\">{string.Concat(items)}</div></fieldset></div>"
        );
    }
}

/// <summary>The GOV.UK date input: day, month and year fields bound to a <see cref="DateParts"/>.</summary>
[HtmlTargetElement("govuk-date-input", TagStructure = TagStructure.WithoutEndTag)]
public sealed class GovukDateInputTagHelper : GovukField
{
    public string? Legend { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var parts = ModelValue as DateParts ?? new DateParts();
        string Field(string part, string label, string? value, int width) =>
            $"<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\"><label class=\"govuk-label govuk-date-input__label\" for=\"{Id}.{part}\">{label}</label>"
            + $"<input class=\"govuk-input govuk-date-input__input govuk-input--width-{width}{(Error is null ? "" : " govuk-input--error")}\" id=\"{Id}.{part}\" name=\"{Name}.{part}\" type=\"text\" inputmode=\"numeric\" value=\"{Encode(value)}\"></div></div>";
        Replace(
            output,
            $"<div class=\"{GroupClass}\"><fieldset class=\"govuk-fieldset\" role=\"group\"{DescribedBy()}><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{Encode(Legend)}</legend>"
                + $"{HintHtml()}{ErrorHtml()}<div class=\"govuk-date-input\" id=\"{Id}\">"
                + Field("Day", "Day", parts.Day, 2)
                + Field("Month", "Month", parts.Month, 2)
                + Field("Year", "Year", parts.Year, 4)
                + "</div></fieldset></div>"
        );
    }
}

/// <summary>A date as typed in three fields, kept as text so a mistake comes back exactly as entered.</summary>
public sealed class DateParts
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(Day)
        && string.IsNullOrWhiteSpace(Month)
        && string.IsNullOrWhiteSpace(Year);

    public DateOnly? ToDate() =>
        int.TryParse(Day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
        && int.TryParse(Month, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
        && int.TryParse(Year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
        && y is >= 2000 and <= 2100
        && m is >= 1 and <= 12
        && d >= 1
        && d <= DateTime.DaysInMonth(y, m)
            ? new DateOnly(y, m, d)
            : null;

    public static DateParts From(DateTime? date) =>
        date is { } value
            ? new DateParts
            {
                Day = value.Day.ToString(CultureInfo.InvariantCulture),
                Month = value.Month.ToString(CultureInfo.InvariantCulture),
                Year = value.Year.ToString(CultureInfo.InvariantCulture),
            }
            : new DateParts();
}
