using System.Text.RegularExpressions;

namespace Peisc.Tests.Infrastructure;

/// <summary>The published framework text (shared/seed), read the way a person reads it: questions and list items.</summary>
public static partial class Seed
{
    public static IReadOnlyList<string> Lines() =>
        File.ReadAllLines(RepoFiles.FindSeed()).Where(l => l.Length > 0).ToList();

    /// <summary>Every list item (marker removed) and every headline question, except the page heading.</summary>
    public static IReadOnlyList<string> QuestionsAndListItems() =>
        Lines()
            .Where(l =>
                ListMarker().IsMatch(l) || (l.EndsWith('?') && l != "What is the PEISC framework?")
            )
            .Select(l => ListMarker().Replace(l, "", 1))
            .ToList();

    [GeneratedRegex(@"^(- |● |[0-9]+\. )")]
    private static partial Regex ListMarker();
}
