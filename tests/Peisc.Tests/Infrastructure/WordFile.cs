using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Peisc.Tests.Infrastructure;

/// <summary>A downloaded Word document, read as Word would: its validity, headings, tables and text.</summary>
public sealed class WordFile
{
    public WordFile(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = WordprocessingDocument.Open(stream, false);
        Errors = new OpenXmlValidator()
            .Validate(document)
            .Select(e => $"{e.Path?.XPath}: {e.Description}")
            .ToList();
        var main = document.MainDocumentPart!;
        var styles = main.StyleDefinitionsPart?.Styles;
        StyleNames =
            styles
                ?.Elements<Style>()
                .ToDictionary(s => s.StyleId!.Value!, s => s.StyleName?.Val?.Value ?? "")
            ?? [];
        var body = main.Document.Body!;
        Paragraphs = body.Descendants<Paragraph>()
            .Select(p => (p.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "", p.InnerText))
            .ToList();
        Tables = body.Elements<Table>()
            .Select(t =>
                (IReadOnlyList<IReadOnlyList<string>>)
                    t.Elements<TableRow>()
                        .Select(r =>
                            (IReadOnlyList<string>)
                                r.Elements<TableCell>()
                                    .Select(c =>
                                        string.Join(
                                            "\n",
                                            c.Elements<Paragraph>().Select(p => p.InnerText)
                                        )
                                    )
                                    .ToList()
                        )
                        .ToList()
            )
            .ToList();
        HeaderRowsRepeat = body.Elements<Table>()
            .All(t =>
                t.Elements<TableRow>().First().TableRowProperties?.GetFirstChild<TableHeader>()
                    is not null
            );
        Title = document.PackageProperties.Title;
        Language = document.PackageProperties.Language;
        DefaultLanguage = styles
            ?.DocDefaults?.RunPropertiesDefault?.RunPropertiesBaseStyle?.GetFirstChild<Languages>()
            ?.Val?.Value;
    }

    public IReadOnlyList<string> Errors { get; }
    public IReadOnlyDictionary<string, string> StyleNames { get; }
    public IReadOnlyList<(string Style, string Text)> Paragraphs { get; }
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Tables { get; }
    public bool HeaderRowsRepeat { get; }
    public string? Title { get; }
    public string? Language { get; }
    public string? DefaultLanguage { get; }

    public IEnumerable<string> Headings(int level) =>
        Paragraphs.Where(p => p.Style == $"Heading{level}").Select(p => p.Text);

    public string Text => string.Join("\n", Paragraphs.Select(p => p.Text));
}
