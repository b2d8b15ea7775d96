using System.Globalization;
using System.Text;

namespace Peisc.Web.Reports;

/// <summary>File names are made here, from the review's title: never from what a request sends (trust.md I4).</summary>
public static class ExportFileNames
{
    private const int MaxSlug = 50;

    /// <summary>Lower-case ASCII letters and digits joined by single hyphens; accents dropped; "review" if nothing is left.</summary>
    public static string Slug(string? text, string fallback = "review")
    {
        var decomposed = (text ?? "").Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(Math.Min(decomposed.Length, MaxSlug));
        var hyphen = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (hyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }
                hyphen = false;
                slug.Append(char.ToLowerInvariant(c));
                if (slug.Length >= MaxSlug)
                {
                    break;
                }
            }
            else
            {
                hyphen = true;
            }
        }
        return slug.Length == 0 ? fallback : slug.ToString().TrimEnd('-');
    }

    public static string ForReview(string title, string what, string extension) =>
        $"peisc-{Slug(title)}-{what}.{extension}";
}
