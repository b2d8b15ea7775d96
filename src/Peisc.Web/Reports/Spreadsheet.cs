using System.Globalization;
using System.Text;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Peisc.Web.Reports;

/// <summary>One column of an export: its heading and how a row gives its value (a string or a number).</summary>
public sealed record SheetColumn<T>(string Header, Func<T, object?> Value);

public enum SheetFormat
{
    Xlsx,
    Csv,
}

/// <summary>Writes rows as CSV (RFC 4180) or XLSX (MiniExcel), with formulas neutralised in both.</summary>
public static class Spreadsheet
{
    public const string XlsxType =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    public static string Extension(SheetFormat format) =>
        format == SheetFormat.Csv ? "csv" : "xlsx";

    public static string ContentType(SheetFormat format) =>
        format == SheetFormat.Csv ? CsvType : XlsxType;

    /// <summary>
    /// trust.md I4: a spreadsheet program treats text starting with = + - @ (or a tab, CR or NUL
    /// before one) as a formula, so such text gets a leading apostrophe and stays text.
    /// See https://owasp.org/www-community/attacks/CSV_Injection.
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0'
            ? "'" + text
            : text;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>UTF-8 with a byte order mark (so Excel reads it as UTF-8), CRLF line ends, quoted where needed.</summary>
    public static async Task WriteCsvAsync<T>(
        Stream stream,
        IReadOnlyList<SheetColumn<T>> columns,
        IAsyncEnumerable<T> rows,
        CancellationToken ct
    )
    {
        await stream.WriteAsync(Bom, ct);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var line = new StringBuilder();
            AppendLine(line, columns.Select(c => (object?)c.Header));
            var count = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                AppendLine(line, columns.Select(c => c.Value(row)));
                if (++count % 500 == 0)
                {
                    await writer.WriteAsync(line, ct);
                    line.Clear();
                }
            }
            await writer.WriteAsync(line, ct);
            await writer.FlushAsync(ct);
        }
    }

    public static async Task WriteCsvAsync<T>(
        Stream stream,
        IReadOnlyList<SheetColumn<T>> columns,
        IEnumerable<T> rows,
        CancellationToken ct
    ) => await WriteCsvAsync(stream, columns, rows.ToAsyncEnumerable(), ct);

    /// <summary>One sheet with a header row. MiniExcel writes as it enumerates, so rows can come straight from a query.</summary>
    public static Task WriteXlsxAsync<T>(
        Stream stream,
        string sheetName,
        IReadOnlyList<SheetColumn<T>> columns,
        IEnumerable<T> rows,
        CancellationToken ct
    ) =>
        stream.SaveAsAsync(
            rows.Select(row =>
            {
                var cells = new Dictionary<string, object?>(columns.Count);
                foreach (var column in columns)
                {
                    var value = column.Value(row);
                    cells[column.Header] = value is string text ? Neutralise(text) : value;
                }
                return cells;
            }),
            printHeader: true,
            sheetName: sheetName,
            excelType: ExcelType.XLSX,
            configuration: new OpenXmlConfiguration
            {
                AutoFilter = true,
                TableStyles = TableStyles.None,
                FastMode = false,
            },
            cancellationToken: ct
        );

    /// <summary>
    /// Writes the workbook to a temporary file first, then copies it: MiniExcel writes synchronously,
    /// which a response body refuses, and the file keeps a large workbook out of memory.
    /// </summary>
    public static async Task WriteXlsxBufferedAsync<T>(
        Stream target,
        string sheetName,
        IReadOnlyList<SheetColumn<T>> columns,
        IEnumerable<T> rows,
        CancellationToken ct
    )
    {
        var path = Path.Combine(Path.GetTempPath(), $"peisc-export-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(
            path,
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous
        );
        await using (file.ConfigureAwait(false))
        {
            await WriteXlsxAsync(file, sheetName, columns, rows, ct);
            file.Position = 0;
            await file.CopyToAsync(target, ct);
        }
    }

    private static void AppendLine(StringBuilder line, IEnumerable<object?> values)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                line.Append(',');
            }
            first = false;
            switch (value)
            {
                case null:
                    break;
                case string text:
                    AppendQuoted(line, Neutralise(text));
                    break;
                case IFormattable number:
                    line.Append(number.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    AppendQuoted(line, Neutralise(value.ToString() ?? ""));
                    break;
            }
        }
        line.Append("\r\n");
    }

    // RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
    private static void AppendQuoted(StringBuilder line, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(text);
            return;
        }
        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
