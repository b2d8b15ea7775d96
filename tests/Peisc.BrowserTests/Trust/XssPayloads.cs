using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// The XSS payloads of xss-payloads.txt, one a line. "{n}" stands for the payload's number, so a
/// dialog or a marker request names the payload that ran; \n, \r, \t, \f, \0 and \\ are escapes.
/// </summary>
public static partial class XssPayloads
{
    public static IReadOnlyList<string> All { get; } = Load();

    /// <summary>
    /// The numbers of the payloads without a NUL: ASP.NET Core's form reader refuses a whole form
    /// holding one, and PostgreSQL's text cannot keep one, so those go through on their own.
    /// </summary>
    public static IReadOnlyList<int> Storable { get; } =
        Enumerable
            .Range(0, All.Count)
            .Where(i => !All[i].Contains('\0', StringComparison.Ordinal))
            .ToList();

    /// <summary>The numbers of the payloads holding a NUL.</summary>
    public static IReadOnlyList<int> WithNul { get; } =
        Enumerable.Range(0, All.Count).Except(Storable).ToList();

    private static List<string> Load()
    {
        var path = Path.Combine(
            Peisc.Tests.RepoFiles.Root,
            "tests",
            "Peisc.BrowserTests",
            "Trust",
            "xss-payloads.txt"
        );
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        return lines
            .Where(l => l.Length > 0)
            .Select(
                (line, i) =>
                    Unescape(line)
                        .Replace(
                            "{n}",
                            (i + 1).ToString(CultureInfo.InvariantCulture),
                            StringComparison.Ordinal
                        )
            )
            .ToList();
    }

    private static string Unescape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '\\' || i == line.Length - 1)
            {
                text.Append(line[i]);
                continue;
            }
            i++;
            text.Append(
                line[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'f' => '\f',
                    '0' => '\0',
                    _ => line[i],
                }
            );
        }
        return text.ToString();
    }

    /// <summary>
    /// Text as a comparison sees it: whitespace runs as one space; line breaks (which a browser
    /// strips from a text box's value) and NUL (which the HTML parser drops) left out.
    /// </summary>
    public static string Normalise(string text) =>
        Whitespace()
            .Replace(
                text.Replace("\0", "", StringComparison.Ordinal)
                    .Replace("\uFFFD", "", StringComparison.Ordinal)
                    .Replace("\r", "", StringComparison.Ordinal)
                    .Replace("\n", "", StringComparison.Ordinal),
                " "
            )
            .Trim();

    [GeneratedRegex(@"[\s\u00A0\u2028\u2029\uFEFF\u202E]+")]
    private static partial Regex Whitespace();
}
