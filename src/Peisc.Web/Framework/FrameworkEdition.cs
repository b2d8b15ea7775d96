namespace Peisc.Web.Framework;

// The framework as data: these records mirror docs/framework-format.md and
// framework-edition.schema.json one to one, so the API can return them as they are.
public sealed record FrameworkEdition(
    int FormatVersion,
    string Id,
    string Version,
    string Title,
    string ShortTitle,
    string Language,
    TextBlock About,
    UsingTheFramework UsingTheFramework,
    FrameworkSource Source,
    IReadOnlyList<Situation> Situations,
    IReadOnlyList<Domain> Domains,
    IReadOnlyList<Stage> Stages,
    IReadOnlyList<Section> Sections
)
{
    public Section? FindSection(string id) => Sections.FirstOrDefault(s => s.Id == id);

    public Domain? FindDomain(string id) => Domains.FirstOrDefault(d => d.Id == id);

    public Cell? FindCell(string sectionId, string domainId) =>
        FindSection(sectionId)?.Cells.FirstOrDefault(c => c.Domain == domainId);

    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Cell> AllCells => Sections.SelectMany(s => s.Cells);
}

public sealed record TextBlock(string Heading, IReadOnlyList<string> Paragraphs);

public sealed record UsingTheFramework(
    string Heading,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<string> DomainList
);

public sealed record FrameworkSource(
    string Organisation,
    string Institution,
    SourceArticle Article,
    string ArticleSentence,
    string Attribution
);

public sealed record SourceArticle(
    string Title,
    IReadOnlyList<string> Authors,
    string Journal,
    int Year,
    string Url
);

public sealed record Situation(string Id, string Text);

public sealed record Domain(string Id, string Title, string? Description);

public sealed record Stage(string Id, int Number, string Name, string Description);

public sealed record Principle(string Id, string Text);

public sealed record Section(
    string Id,
    int Number,
    string Title,
    string ShortTitle,
    IReadOnlyList<Principle> Principles,
    IReadOnlyList<Cell> Cells
);

public sealed record Cell(
    string Id,
    string Domain,
    string Question,
    string ItemsIntro,
    string ItemsKind,
    IReadOnlyList<Item> Items
);

public sealed record Item(string Id, string Text, string? Stage);
