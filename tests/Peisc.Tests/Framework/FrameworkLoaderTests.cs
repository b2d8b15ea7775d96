using System.Text;
using System.Text.Json.Nodes;
using Peisc.Web.Framework;

namespace Peisc.Tests.Framework;

public class FrameworkLoaderTests
{
    private static readonly string ShippedText = ReadShippedText();

    [Fact]
    public void Load_ShippedEdition_HasNoProblems()
    {
        var result = FrameworkLoader.Load(ShippedText);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void LoadBuiltIn_Peisc_HasTheFrameworkShape()
    {
        var edition = FrameworkLoader.LoadBuiltIn("peisc");

        Assert.Equal(4, edition.Sections.Count);
        Assert.All(edition.Sections, s => Assert.Equal(3, s.Cells.Count));
        Assert.Equal(3, edition.Domains.Count);
        Assert.Equal(6, edition.Stages.Count);
        Assert.Equal(5, edition.Situations.Count);
        Assert.Equal(77, edition.AllCells.Sum(c => c.Items.Count));
        Assert.Equal(15, edition.Sections.Sum(s => s.Principles.Count));
    }

    [Fact]
    public void LoadBuiltIn_Peisc_HasUniqueIds()
    {
        var edition = FrameworkLoader.LoadBuiltIn("peisc");

        var ids = edition
            .Situations.Select(s => s.Id)
            .Concat(edition.Domains.Select(d => d.Id))
            .Concat(edition.Stages.Select(s => s.Id))
            .Concat(edition.Sections.Select(s => s.Id))
            .Concat(edition.Sections.SelectMany(s => s.Principles).Select(p => p.Id))
            .Concat(edition.AllCells.Select(c => c.Id))
            .Concat(edition.AllCells.SelectMany(c => c.Items).Select(i => i.Id))
            .ToList();

        Assert.Equal(5 + 3 + 6 + 4 + 15 + 12 + 77, ids.Count);
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Load_NotJson_ReportsInvalidJsonWithLine()
    {
        var result = FrameworkLoader.Load("{\n  \"formatVersion\": 1,\n  oops\n}");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlainText_ReportsInvalidJson()
    {
        var result = FrameworkLoader.Load("PEISC framework");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonArray_ReportsObjectExpected()
    {
        var result = FrameworkLoader.Load("[" + ShippedText + "]");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("must contain a JSON object", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTitle_ReportsMissingField()
    {
        var result = LoadMutated(root => root.AsObject().Remove("title"));

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("'title'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("missing", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingItemText_ReportsMissingFieldAtItem()
    {
        var result = LoadMutated(root => Item(root, 2, 1, 3).AsObject().Remove("text"));

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[2].cells[1].items[3]", problem.Path);
        Assert.Contains("'text'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("missing", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFields_ReportsEachFieldNotInFormat()
    {
        var result = LoadMutated(root =>
        {
            root["colour"] = "blue";
            Item(root, 1, 0, 1)["note"] = "extra";
        });

        Assert.Equal(2, result.Problems.Count);
        AssertHasProblem(result, "$.colour", "not part of the framework format");
        AssertHasProblem(
            result,
            "$.sections[1].cells[0].items[1].note",
            "not part of the framework format"
        );
    }

    [Fact]
    public void Load_EmptyCellQuestion_ReportsEmptyText()
    {
        var result = LoadMutated(root => Cell(root, 1, 0)["question"] = "");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[1].cells[0].question", problem.Path);
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhitespaceItemText_ReportsEmptyText()
    {
        var result = LoadMutated(root => Item(root, 3, 2, 0)["text"] = "   ");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[3].cells[2].items[0].text", problem.Path);
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatVersionAsString_ReportsWrongType()
    {
        var result = LoadMutated(root => root["formatVersion"] = "1");

        Assert.All(result.Problems, p => Assert.Equal("$.formatVersion", p.Path));
        AssertHasProblem(result, "$.formatVersion", "wrong type");
        AssertHasProblem(result, "$.formatVersion", "should be \"integer\"");
    }

    [Fact]
    public void Load_FormatVersion2_ReportsUnsupportedVersion()
    {
        var result = LoadMutated(root => root["formatVersion"] = 2);

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.formatVersion", problem.Path);
        Assert.Contains("must be 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateItemId_ReportsBothPlaces()
    {
        var result = LoadMutated(root =>
            Item(root, 1, 0, 1)["id"] = Item(root, 1, 0, 0)["id"]!.GetValue<string>()
        );

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[1].cells[0].items[1].id", problem.Path);
        Assert.Contains("'human-rights.innovation.1'", problem.Message, StringComparison.Ordinal);
        Assert.Contains(
            "already used at $.sections[1].cells[0].items[0]",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_SectionMissingDomainCell_ReportsMissingCell()
    {
        var result = LoadMutated(root => Section(root, 2)["cells"]!.AsArray().RemoveAt(2));

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[2].cells", problem.Path);
        Assert.Contains(
            "has no cell for the domain 'outcomes'",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_CellWithUnknownDomain_ReportsUnknownDomain()
    {
        var result = LoadMutated(root => Cell(root, 1, 0)["domain"] = "finance");

        AssertHasProblem(
            result,
            "$.sections[1].cells[0].domain",
            "'finance' is not one of the edition's domains"
        );
        AssertHasProblem(result, "$.sections[1].cells", "has no cell for the domain 'innovation'");
    }

    [Fact]
    public void Load_ItemWithUnknownStage_ReportsUnknownStage()
    {
        var result = LoadMutated(root => Item(root, 0, 1, 2)["stage"] = "stage.9");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[0].cells[1].items[2].stage", problem.Path);
        Assert.Contains(
            "'stage.9' is not one of the edition's stages",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_CellIdNotMatchingSectionAndDomain_ReportsExpectedId()
    {
        var result = LoadMutated(root =>
            Cell(root, 3, 1)["id"] = "professional-integrity.procedure"
        );

        AssertHasProblem(result, "$.sections[3].cells[1].id", "'professional-integrity.process'");
    }

    [Fact]
    public void Load_ItemIdOutsideItsCell_ReportsWrongPrefix()
    {
        var result = LoadMutated(root => Item(root, 1, 0, 4)["id"] = "human-rights.process.99");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[1].cells[0].items[4].id", problem.Path);
        Assert.Contains(
            "should start with its cell's id 'human-rights.innovation.'",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_ArticleUrlNotWebAddress_ReportsUrlProblem()
    {
        var result = LoadMutated(root =>
            root["source"]!["article"]!["url"] = "ftp://example.org/a"
        );

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.source.article.url", problem.Path);
        Assert.Contains("http", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("identifier", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownItemsKind_ListsAllowedKinds()
    {
        var result = LoadMutated(root => Cell(root, 1, 0)["itemsKind"] = "questions");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[1].cells[0].itemsKind", problem.Path);
        Assert.Contains("must be one of", problem.Message, StringComparison.Ordinal);
        Assert.Contains(
            "levels, stages, outcome-areas, considerations",
            problem.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_SectionIdNotSlug_ReportsIdentifierProblem()
    {
        var result = LoadMutated(root => Section(root, 1)["id"] = "Human Rights");

        var problem = AssertSingleProblem(result);
        Assert.Equal("$.sections[1].id", problem.Path);
        Assert.Contains("lower-case letters, digits", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOver2MB_ReportsTooLarge()
    {
        // Trailing spaces keep the JSON valid, so only the size can be the problem.
        var padded = ShippedText + new string(' ', (int)FrameworkLoader.MaxFileBytes);

        var result = FrameworkLoader.Load(padded);

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("larger than 2 MB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StreamOver2MB_ReportsTooLarge()
    {
        var bytes = Encoding.UTF8.GetBytes(
            ShippedText + new string(' ', (int)FrameworkLoader.MaxFileBytes)
        );
        using var stream = new MemoryStream(bytes);

        var result = await FrameworkLoader.LoadAsync(stream, CancellationToken.None);

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("larger than 2 MB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralSchemaProblems_ReportsEveryOne()
    {
        var result = LoadMutated(root =>
        {
            root.AsObject().Remove("title");
            root["formatVersion"] = "one";
            Section(root, 1)["id"] = "Human Rights";
            Cell(root, 1, 0)["question"] = "";
            Item(root, 2, 2, 0)["text"] = "   ";
        });

        AssertHasProblem(result, "$", "'title'");
        AssertHasProblem(result, "$.formatVersion", "wrong type");
        AssertHasProblem(result, "$.sections[1].id", "lower-case letters");
        AssertHasProblem(result, "$.sections[1].cells[0].question", "empty");
        AssertHasProblem(result, "$.sections[2].cells[2].items[0].text", "empty");
    }

    [Fact]
    public void Load_SeveralReferenceProblems_ReportsEveryOne()
    {
        var result = LoadMutated(root =>
        {
            Item(root, 1, 0, 1)["id"] = "human-rights.innovation.1";
            Item(root, 0, 1, 0)["stage"] = "stage.0";
            Section(root, 3)["cells"]!.AsArray().RemoveAt(0);
        });

        AssertHasProblem(result, "$.sections[1].cells[0].items[1].id", "already used");
        AssertHasProblem(result, "$.sections[0].cells[1].items[0].stage", "'stage.0'");
        AssertHasProblem(result, "$.sections[3].cells", "has no cell for the domain 'innovation'");
    }

    [Fact]
    public async Task LoadAsync_InvalidUtf8_ReportsNotUtf8()
    {
        using var stream = new MemoryStream([(byte)'{', 0xC3, 0x28, 0xFF, (byte)'}']);

        var result = await FrameworkLoader.LoadAsync(stream, CancellationToken.None);

        var problem = AssertSingleProblem(result);
        Assert.Equal("$", problem.Path);
        Assert.Contains("not UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ShippedEditionWithByteOrderMark_Loads()
    {
        var bytes = Encoding
            .UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes(ShippedText))
            .ToArray();
        using var stream = new MemoryStream(bytes);

        var result = await FrameworkLoader.LoadAsync(stream, CancellationToken.None);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
    }

    private static FrameworkLoadResult LoadMutated(Action<JsonNode> mutate)
    {
        var root = JsonNode.Parse(ShippedText)!;
        mutate(root);
        var result = FrameworkLoader.Load(root.ToJsonString());
        AssertReadable(result);
        return result;
    }

    private static JsonNode Section(JsonNode root, int s) => root["sections"]![s]!;

    private static JsonNode Cell(JsonNode root, int s, int c) => Section(root, s)["cells"]![c]!;

    private static JsonNode Item(JsonNode root, int s, int c, int i) =>
        Cell(root, s, c)["items"]![i]!;

    private static FrameworkProblem AssertSingleProblem(FrameworkLoadResult result)
    {
        AssertReadable(result);
        Assert.False(result.IsValid);
        Assert.Null(result.Edition);
        Assert.True(
            result.Problems.Count == 1,
            $"Expected exactly one problem, got {result.Problems.Count}:\n" + Describe(result)
        );
        return result.Problems[0];
    }

    private static void AssertHasProblem(FrameworkLoadResult result, string path, string phrase)
    {
        Assert.False(result.IsValid);
        Assert.True(
            result.Problems.Any(p =>
                p.Path == path && p.Message.Contains(phrase, StringComparison.Ordinal)
            ),
            $"Expected a problem at {path} mentioning \"{phrase}\"; got:\n" + Describe(result)
        );
    }

    // Authors see these messages as they are, so they must never leak .NET internals.
    private static void AssertReadable(FrameworkLoadResult result)
    {
        foreach (var problem in result.Problems)
        {
            Assert.DoesNotContain("Exception", problem.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", problem.Message, StringComparison.Ordinal);
            Assert.StartsWith("$", problem.Path, StringComparison.Ordinal);
        }
    }

    private static string Describe(FrameworkLoadResult result) =>
        string.Join("\n", result.Problems.Select(p => "  " + p));

    private static string ReadShippedText()
    {
        using var stream =
            typeof(FrameworkLoader).Assembly.GetManifestResourceStream(
                "Peisc.Web.Framework.Editions.peisc.json"
            ) ?? throw new InvalidOperationException("The shipped edition is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
