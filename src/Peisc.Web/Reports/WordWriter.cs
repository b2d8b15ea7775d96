using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>
/// Writes an accessible Word document: real heading styles (so the navigation pane and a screen
/// reader's heading list work), table header rows that repeat on each page, the title and the
/// language set. Without a styles part, Word shows headings as plain text.
/// </summary>
public sealed class WordWriter : IDisposable
{
    public const string ContentType =
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const int BulletList = 1;
    private readonly MemoryStream _stream = new();
    private readonly WordprocessingDocument _document;
    private readonly Body _body;

    // A4 with 2 cm margins: the width tables share, in twentieths of a point.
    private const int TextWidth = 11906 - 2 * 1134;

    public WordWriter(string title, string language, DateTime createdUtc)
    {
        _document = WordprocessingDocument.Create(_stream, WordprocessingDocumentType.Document);
        var main = _document.AddMainDocumentPart();
        _body = new Body();
        main.Document = new Document(_body);
        AddStyles(main, language);
        AddNumbering(main);
        var settings = main.AddNewPart<DocumentSettingsPart>();
        settings.Settings = new Settings(new ThemeFontLanguages { Val = language });
        // The title is a review's title as typed: the package's own XML cannot hold a control character either.
        _document.PackageProperties.Title = Clean(title);
        _document.PackageProperties.Language = language;
        _document.PackageProperties.Creator = "PEISC";
        _document.PackageProperties.Created = createdUtc;
    }

    public void Title(string text) => _body.Append(Styled("Title", text));

    public void Heading(int level, string text) => _body.Append(Styled($"Heading{level}", text));

    public void Paragraph(string text, bool bold = false, bool italic = false) =>
        _body.Append(new Paragraph(Run(text, bold, italic)));

    /// <summary>What people typed, a paragraph for each line they wrote.</summary>
    public void Text(string? text, string whenEmpty = "None recorded")
    {
        var lines = ReviewText.Paragraphs(text).ToList();
        if (lines.Count == 0)
        {
            Paragraph(whenEmpty, italic: true);
        }
        foreach (var line in lines)
        {
            Paragraph(line);
        }
    }

    /// <summary>A bold label and its value on one line: "Stage: Designing".</summary>
    public void Field(string label, string value) =>
        _body.Append(new Paragraph(Run(label + ": ", bold: true), Run(value)));

    /// <summary>A label, then the free text under it.</summary>
    public void LongField(string label, string? text)
    {
        _body.Append(
            new Paragraph(
                new ParagraphProperties { KeepNext = new KeepNext() },
                Run(label, bold: true)
            )
        );
        Text(text);
    }

    public void Bullets(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            _body.Append(
                new Paragraph(
                    new ParagraphProperties
                    {
                        ParagraphStyleId = new ParagraphStyleId { Val = "ListParagraph" },
                        NumberingProperties = new NumberingProperties(
                            new NumberingLevelReference { Val = 0 },
                            new NumberingId { Val = BulletList }
                        ),
                    },
                    Run(item)
                )
            );
        }
    }

    /// <summary>A table whose first row is a header repeated on every page; widths are shares of the page.</summary>
    public void Table(
        IReadOnlyList<string> headers,
        IEnumerable<IReadOnlyList<string>> rows,
        IReadOnlyList<int>? shares = null,
        bool firstColumnIsHeader = false
    )
    {
        var weights = shares ?? Enumerable.Repeat(1, headers.Count).ToList();
        var widths = weights.Select(w => TextWidth * w / weights.Sum()).ToList();
        var table = new Table(
            new TableProperties
            {
                TableStyle = new TableStyle { Val = "TableGrid" },
                TableWidth = new TableWidth
                {
                    Width = TextWidth.ToString(Invariant),
                    Type = TableWidthUnitValues.Dxa,
                },
                // The 2007 form (a hex mask: first row, first column, no vertical banding), which every version reads.
                TableLook = new TableLook { Val = firstColumnIsHeader ? "04A0" : "0420" },
            },
            new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(Invariant) }))
        );
        table.Append(Row(headers, widths, header: true, firstColumnIsHeader));
        foreach (var row in rows)
        {
            table.Append(Row(row, widths, header: false, firstColumnIsHeader));
        }
        _body.Append(table);
        // Word needs a paragraph between two tables, or it merges them.
        _body.Append(new Paragraph());
    }

    public void PageBreak() =>
        _body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));

    public byte[] ToBytes()
    {
        _body.Append(
            new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin
                {
                    Top = 1134,
                    Right = 1134,
                    Bottom = 1134,
                    Left = 1134,
                    Header = 567,
                    Footer = 567,
                    Gutter = 0,
                }
            )
        );
        _saved = true;
        _document.Dispose();
        return _stream.ToArray();
    }

    // Once saved (or once saving failed), the package is closed: disposing it again would throw and
    // hide what went wrong.
    private bool _saved;

    public void Dispose()
    {
        if (!_saved)
        {
            _saved = true;
            _document.Dispose();
        }
        _stream.Dispose();
    }

    private static readonly IFormatProvider Invariant = System
        .Globalization
        .CultureInfo
        .InvariantCulture;

    private static TableRow Row(
        IReadOnlyList<string> cells,
        List<int> widths,
        bool header,
        bool firstColumnIsHeader
    )
    {
        var row = new TableRow();
        if (header)
        {
            row.Append(new TableRowProperties(new CantSplit(), new TableHeader()));
        }
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = new TableCell(
                new TableCellProperties(
                    new TableCellWidth
                    {
                        Width = widths[i].ToString(Invariant),
                        Type = TableWidthUnitValues.Dxa,
                    }
                )
            );
            var lines = (cells[i] ?? "").Split('\n');
            foreach (var line in lines)
            {
                cell.Append(
                    new Paragraph(
                        Run(line.TrimEnd('\r'), bold: header || (firstColumnIsHeader && i == 0))
                    )
                );
            }
            row.Append(cell);
        }
        return row;
    }

    private static Paragraph Styled(string style, string text) =>
        new(
            new ParagraphProperties { ParagraphStyleId = new ParagraphStyleId { Val = style } },
            Run(text)
        );

    private static Run Run(string text, bool bold = false, bool italic = false)
    {
        var run = new Run();
        if (bold || italic)
        {
            run.RunProperties = new RunProperties
            {
                Bold = bold ? new Bold() : null,
                Italic = italic ? new Italic() : null,
            };
        }
        run.Append(new Text(Clean(text)) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    // XML 1.0 cannot hold most control characters, a lone half of a surrogate pair, nor U+FFFE and
    // U+FFFF: people never meant them, so they are dropped.
    private static string Clean(string text)
    {
        if (!text.Any(c => Dropped(c) || char.IsSurrogate(c)))
        {
            return text;
        }
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
            }
            else if (!Dropped(c) && !char.IsSurrogate(c))
            {
                kept.Append(c);
            }
        }
        return kept.ToString();
    }

    private static bool Dropped(char c) =>
        (char.IsControl(c) && c is not '\t') || c is '\uFFFE' or '\uFFFF';

    private static void AddStyles(MainDocumentPart main, string language)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        var styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(
                    new RunPropertiesBaseStyle(
                        new RunFonts
                        {
                            Ascii = "Arial",
                            HighAnsi = "Arial",
                            ComplexScript = "Arial",
                            EastAsia = "Arial",
                        },
                        new FontSize { Val = "22" },
                        new FontSizeComplexScript { Val = "22" },
                        new Languages { Val = language }
                    )
                ),
                new ParagraphPropertiesDefault(
                    new ParagraphPropertiesBaseStyle(
                        new SpacingBetweenLines
                        {
                            After = "120",
                            Line = "264",
                            LineRule = LineSpacingRuleValues.Auto,
                        }
                    )
                )
            )
        );
        styles.Append(
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle())
            {
                Type = StyleValues.Paragraph,
                StyleId = "Normal",
                Default = true,
            }
        );
        styles.Append(HeadingStyle("Title", "Title", 56, null));
        styles.Append(HeadingStyle("Heading1", "heading 1", 36, 0));
        styles.Append(HeadingStyle("Heading2", "heading 2", 30, 1));
        styles.Append(HeadingStyle("Heading3", "heading 3", 24, 2));
        styles.Append(
            new Style(
                new StyleName { Val = "List Paragraph" },
                new BasedOn { Val = "Normal" },
                new PrimaryStyle(),
                new StyleParagraphProperties { Indentation = new Indentation { Left = "720" } }
            )
            {
                Type = StyleValues.Paragraph,
                StyleId = "ListParagraph",
            }
        );
        var border = () =>
            new TableBorders(
                new TopBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                },
                new LeftBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                },
                new BottomBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                },
                new RightBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                },
                new InsideHorizontalBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                },
                new InsideVerticalBorder
                {
                    Val = BorderValues.Single,
                    Size = 4,
                    Color = "000000",
                }
            );
        styles.Append(
            new Style(
                new StyleName { Val = "Table Grid" },
                new PrimaryStyle(),
                new StyleParagraphProperties
                {
                    SpacingBetweenLines = new SpacingBetweenLines { After = "0" },
                },
                new StyleTableProperties(
                    border(),
                    new TableCellMarginDefault(
                        new TopMargin { Width = "57", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = 85, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "57", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = 85, Type = TableWidthValues.Dxa }
                    )
                )
            )
            {
                Type = StyleValues.Table,
                StyleId = "TableGrid",
            }
        );
        part.Styles = styles;
    }

    private static Style HeadingStyle(string id, string name, int halfPoints, int? outline) =>
        new(
            new StyleName { Val = name },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties
            {
                KeepNext = new KeepNext(),
                KeepLines = new KeepLines(),
                SpacingBetweenLines = new SpacingBetweenLines
                {
                    Before = outline is null ? "0" : "240",
                    After = "120",
                },
                OutlineLevel = outline is { } level ? new OutlineLevel { Val = level } : null,
            },
            new StyleRunProperties
            {
                Bold = new Bold(),
                FontSize = new FontSize { Val = halfPoints.ToString(Invariant) },
                FontSizeComplexScript = new FontSizeComplexScript
                {
                    Val = halfPoints.ToString(Invariant),
                },
            }
        )
        {
            Type = StyleValues.Paragraph,
            StyleId = id,
        };

    private static void AddNumbering(MainDocumentPart main)
    {
        var part = main.AddNewPart<NumberingDefinitionsPart>();
        part.Numbering = new Numbering(
            new AbstractNum(
                new MultiLevelType { Val = MultiLevelValues.SingleLevel },
                new Level(
                    new StartNumberingValue { Val = 1 },
                    new NumberingFormat { Val = NumberFormatValues.Bullet },
                    new LevelText { Val = "•" },
                    new LevelJustification { Val = LevelJustificationValues.Left },
                    new PreviousParagraphProperties(
                        new Indentation { Left = "720", Hanging = "360" }
                    )
                )
                {
                    LevelIndex = 0,
                }
            )
            {
                AbstractNumberId = BulletList,
            },
            new NumberingInstance(new AbstractNumId { Val = BulletList }) { NumberID = BulletList }
        );
    }
}
