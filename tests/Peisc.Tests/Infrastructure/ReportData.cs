using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Infrastructure;

/// <summary>Builders and readers for the exports: full answers, and spreadsheets read back as a person's program would.</summary>
public static class ReportData
{
    /// <summary>Saves an answer with every field, as a named member, in the review's current round.</summary>
    public static Task<Answer> AnswerInFullAsync(
        this TestApp app,
        TestOrganisation org,
        TestUser who,
        Guid reviewId,
        string itemId,
        Position position,
        string? reasoning = null,
        string? evidence = null,
        Voices voices = Voices.None,
        string? dissent = null,
        string? notApplicableReason = null
    ) =>
        app.AsMemberAsync(
            org,
            who,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
                var round = await db.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
                var cell = ReviewData.Peisc.AllCells.Single(c => c.Items.Any(i => i.Id == itemId));
                var item = cell.Items.Single(i => i.Id == itemId);
                var version = await db
                    .Answers.Where(a => a.RoundId == round.Id && a.ItemId == itemId)
                    .Select(a => a.Version)
                    .SingleOrDefaultAsync();
                var outcome = await sp.GetRequiredService<ReviewService>()
                    .SaveAnswerAsync(
                        review,
                        round,
                        cell,
                        item,
                        new AnswerInput(
                            position,
                            notApplicableReason,
                            reasoning,
                            evidence,
                            voices,
                            dissent
                        ),
                        version
                    );
                return Assert.IsType<SaveOutcome.Saved>(outcome).Answer;
            }
        );

    /// <summary>Downloads a file, checking the status, and returns its bytes and the name the server gave it.</summary>
    public static async Task<(byte[] Bytes, string FileName, string ContentType)> DownloadAsync(
        this HttpClient client,
        string url
    )
    {
        var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.OK,
            $"GET {url}: expected 200, got {(int)response.StatusCode} {response.Headers.Location}\n{Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 2000)))}"
        );
        return (
            bytes,
            response.Content.Headers.ContentDisposition?.FileNameStar
                ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                ?? "",
            response.Content.Headers.ContentType?.MediaType ?? ""
        );
    }

    /// <summary>The first sheet, its header row as keys; every value as the text a person would see.</summary>
    public static List<Dictionary<string, string>> ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return stream
            .Query(useHeaderRow: true, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Select(row =>
                row.ToDictionary(
                    c => c.Key,
                    c =>
                        c.Value switch
                        {
                            null => "",
                            double d => d.ToString(CultureInfo.InvariantCulture),
                            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
                        }
                )
            )
            .ToList();
    }

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0, $"A quote inside an unquoted field at {i}");
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n', $"A bare line break outside quotes at {i}");
                field.Append(c);
            }
        }
        Assert.False(quoted, "The file ends inside a quoted field");
        Assert.True(row.Count == 0 && field.Length == 0, "The last line does not end with CRLF");
        return rows;
    }

    /// <summary>A CSV file as header-keyed rows, after checking it starts with the UTF-8 byte order mark.</summary>
    public static List<Dictionary<string, string>> ReadCsv(byte[] bytes)
    {
        Assert.True(
            bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF,
            "The CSV does not start with the UTF-8 byte order mark that Excel needs"
        );
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(
            bytes,
            3,
            bytes.Length - 3
        );
        var rows = ParseCsv(text);
        var header = rows[0];
        return rows.Skip(1)
            .Select(r =>
            {
                Assert.Equal(header.Count, r.Count);
                return header.Zip(r).ToDictionary(p => p.First, p => p.Second);
            })
            .ToList();
    }
}
