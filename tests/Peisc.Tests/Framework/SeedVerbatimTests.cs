using System.Text.RegularExpressions;
using Peisc.Web.Framework;

namespace Peisc.Tests.Framework;

// The edition must quote the published framework character for character (docs/framework-format.md).
public partial class SeedVerbatimTests
{
    private static readonly FrameworkEdition Edition = FrameworkLoader.LoadBuiltIn("peisc");

    [Fact]
    public void SeedListLines_EachAppearInEdition()
    {
        var seed = SeedLines();
        var editionTexts = new HashSet<string>(StringComparer.Ordinal);
        editionTexts.UnionWith(Edition.AllCells.SelectMany(c => c.Items).Select(i => i.Text));
        editionTexts.UnionWith(Edition.Situations.Select(s => s.Text));
        editionTexts.UnionWith(Edition.Sections.SelectMany(s => s.Principles).Select(p => p.Text));
        editionTexts.UnionWith(Edition.UsingTheFramework.DomainList);

        var listItems = seed.Where(IsListLine).Select(StripMarker).ToList();

        Assert.Equal(77 + 5 + 15 + 3, listItems.Count);
        AssertNoneMissing(
            listItems.Where(t => !editionTexts.Contains(t)),
            "Seed list items missing from the edition"
        );
    }

    [Fact]
    public void SeedQuestionLines_EachAppearAsCellQuestion()
    {
        var seed = SeedLines();
        var questions = Edition.AllCells.Select(c => c.Question).ToHashSet(StringComparer.Ordinal);

        var seedQuestions = seed.Where(l => !IsListLine(l) && l.EndsWith('?'))
            .Where(l => l != Edition.About.Heading)
            .ToList();

        Assert.Contains(Edition.About.Heading, seed);
        Assert.Equal(12, seedQuestions.Count);
        AssertNoneMissing(
            seedQuestions.Where(q => !questions.Contains(q)),
            "Seed questions missing from the edition's cells"
        );
    }

    [Fact]
    public void EditionQuestionsAndItems_EachAppearInSeed()
    {
        var seed = SeedLines().Select(StripMarker).ToHashSet(StringComparer.Ordinal);

        var missing = Edition
            .AllCells.Where(c => !seed.Contains(c.Question))
            .Select(c => $"{c.Id} question: {c.Question}")
            .Concat(
                Edition
                    .AllCells.SelectMany(c => c.Items)
                    .Where(i => !seed.Contains(i.Text))
                    .Select(i => $"{i.Id}: {i.Text}")
            );

        AssertNoneMissing(
            missing,
            "Edition texts that are not lines of the seed (the edition must invent no question)"
        );
    }

    [Fact]
    public void EditionOtherTexts_EachAppearInSeed()
    {
        var seed = SeedLines().Select(StripMarker).ToHashSet(StringComparer.Ordinal);
        var texts = new List<(string Where, string Text)>
        {
            ("title", Edition.Title),
            ("about.heading", Edition.About.Heading),
            ("usingTheFramework.heading", Edition.UsingTheFramework.Heading),
        };
        texts.AddRange(Edition.About.Paragraphs.Select(p => ("about.paragraphs", p)));
        texts.AddRange(
            Edition.UsingTheFramework.Paragraphs.Select(p => ("usingTheFramework.paragraphs", p))
        );
        texts.AddRange(
            Edition.UsingTheFramework.DomainList.Select(p => ("usingTheFramework.domainList", p))
        );
        texts.AddRange(Edition.Situations.Select(s => (s.Id, s.Text)));
        foreach (var domain in Edition.Domains)
        {
            texts.Add(($"{domain.Id} title", domain.Title));
            if (domain.Description is not null)
            {
                texts.Add(($"{domain.Id} description", domain.Description));
            }
        }
        foreach (var section in Edition.Sections)
        {
            var heading =
                section.Number == 0 ? section.Title : $"#{section.Number} {section.Title}";
            texts.Add(($"{section.Id} title", heading));
            texts.AddRange(section.Principles.Select(p => (p.Id, p.Text)));
            texts.AddRange(section.Cells.Select(c => ($"{c.Id} itemsIntro", c.ItemsIntro)));
        }

        AssertNoneMissing(
            texts.Where(t => !seed.Contains(t.Text)).Select(t => $"{t.Where}: {t.Text}"),
            "Edition texts that are not lines of the seed"
        );
    }

    [Fact]
    public void EditionStages_EachAreANumberedSeedLine()
    {
        var seed = SeedLines();

        var missing = Edition
            .Stages.Where(s => !seed.Contains($"{s.Number}. {s.Name}: {s.Description}"))
            .Select(s => $"{s.Id}: {s.Number}. {s.Name}: {s.Description}");

        Assert.Equal(6, Edition.Stages.Count);
        AssertNoneMissing(missing, "Stages whose number, name and description are not a seed line");
    }

    [Fact]
    public void EditionStageItems_PointToTheirStage()
    {
        var process = Edition.FindCell("overarching", "process")!;

        Assert.Equal(Edition.Stages.Count, process.Items.Count);
        Assert.All(
            process.Items.Zip(Edition.Stages),
            pair =>
            {
                Assert.Equal(pair.Second.Id, pair.First.Stage);
                Assert.Equal($"{pair.Second.Name}: {pair.Second.Description}", pair.First.Text);
            }
        );
    }

    [Fact]
    public void EditionSource_MatchesSeedArticleSentence()
    {
        var seedText = File.ReadAllText(RepoFiles.FindSeed());
        var sentence = SeedLines()
            .Single(l => l.StartsWith("A full account", StringComparison.Ordinal));

        Assert.Contains(Edition.Source.Article.Url, seedText, StringComparison.Ordinal);
        Assert.Contains(Edition.Source.Article.Title, seedText, StringComparison.Ordinal);
        Assert.Equal(
            sentence
                .Replace("*", "", StringComparison.Ordinal)
                .Replace("<", "", StringComparison.Ordinal)
                .Replace(">", "", StringComparison.Ordinal),
            Edition.Source.ArticleSentence
        );
    }

    private static List<string> SeedLines() =>
        File.ReadAllLines(RepoFiles.FindSeed()).Where(l => l.Length > 0).ToList();

    private static bool IsListLine(string line) => ListMarker().IsMatch(line);

    private static string StripMarker(string line) => ListMarker().Replace(line, "", 1);

    private static void AssertNoneMissing(IEnumerable<string> missing, string heading)
    {
        var list = missing.ToList();
        Assert.True(list.Count == 0, $"{heading} ({list.Count}):\n  " + string.Join("\n  ", list));
    }

    [GeneratedRegex(@"^(- |● |[0-9]+\. )")]
    private static partial Regex ListMarker();
}
