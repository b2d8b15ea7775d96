using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Reports;

/// <summary>A file to send: its name (made here), its type, and how to write it.</summary>
public sealed record Download(
    string FileName,
    string ContentType,
    Func<Stream, CancellationToken, Task> WriteAsync
);

/// <summary>
/// Every download of a review, and the organisation's portfolio. The pages and the API both come
/// here, so both read through the tenant filter and both write the audit row (trust.md R1).
/// </summary>
public sealed class ReviewExports(
    AppDbContext db,
    ReviewReportReader reader,
    EditionResolver editions,
    AuditLog audit,
    CurrentMember member,
    TimeProvider clock,
    PdfConverter pdf
)
{
    /// <summary>Null when the organisation has no such review or round.</summary>
    public async Task<Download?> AnswersAsync(
        Guid reviewId,
        int? round,
        SheetFormat format,
        CancellationToken ct
    )
    {
        if (await reader.ReadAsync(reviewId, round, ct) is not { } report)
        {
            return null;
        }
        var name = ExportFileNames.ForReview(
            report.Review.Title,
            $"answers-round-{report.Round.Number}",
            Spreadsheet.Extension(format)
        );
        await AuditAsync(
            AuditActions.AnswersExported,
            reviewId,
            $"Answers of round {report.Round.Number} as {Format(format)}: {name}"
        );
        return Sheet(name, format, "Answers", ReviewSheets.AnswerColumns(report), report.Items);
    }

    /// <summary>As Word, or as PDF (which throws PdfUnavailableException when LibreOffice cannot make it).</summary>
    public Task<Download?> BoardReportAsync(
        Guid reviewId,
        int? round,
        bool asPdf,
        CancellationToken ct
    ) =>
        DocumentAsync(
            reviewId,
            round,
            "board-report",
            "Board report",
            AuditActions.BoardReportExported,
            ReportDocuments.BoardReport,
            asPdf,
            ct
        );

    public Task<Download?> SummaryAsync(
        Guid reviewId,
        int? round,
        bool asPdf,
        CancellationToken ct
    ) =>
        DocumentAsync(
            reviewId,
            round,
            "summary",
            "One-page summary",
            AuditActions.SummaryExported,
            ReportDocuments.Summary,
            asPdf,
            ct
        );

    private async Task<Download?> DocumentAsync(
        Guid reviewId,
        int? round,
        string what,
        string title,
        string auditAction,
        Func<ReviewReport, byte[]> build,
        bool asPdf,
        CancellationToken ct
    )
    {
        if (await reader.ReadAsync(reviewId, round, ct) is not { } report)
        {
            return null;
        }
        var bytes = build(report);
        if (asPdf)
        {
            bytes = await pdf.ConvertAsync(bytes, ct);
        }
        var name = ExportFileNames.ForReview(
            report.Review.Title,
            $"{what}-round-{report.Round.Number}",
            asPdf ? "pdf" : "docx"
        );
        // Audited once the file exists: a failed conversion exported nothing.
        await AuditAsync(
            auditAction,
            reviewId,
            $"{title} of round {report.Round.Number} as {(asPdf ? "PDF" : "Word")}: {name}"
        );
        return new Download(
            name,
            asPdf ? PdfConverter.ContentType : WordWriter.ContentType,
            (stream, token) => stream.WriteAsync(bytes, token).AsTask()
        );
    }

    public async Task<Download?> FacilitationPackAsync(
        Guid reviewId,
        string? situation,
        string? stage,
        CancellationToken ct
    )
    {
        var review = await db
            .Reviews.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return null;
        }
        var pack = FacilitationPack.For(
            review,
            await editions.GetAsync(review.EditionId, ct),
            situation,
            stage
        );
        var bytes = pack.ToWord(clock.GetUtcNow().UtcDateTime);
        var name = ExportFileNames.ForReview(
            review.Title,
            "facilitation-pack-" + ExportFileNames.Slug(pack.Stage?.Name ?? "every stage"),
            "docx"
        );
        await AuditAsync(
            AuditActions.FacilitationPackExported,
            reviewId,
            $"Facilitation pack ({pack.Situation?.Id ?? "no situation"}, {pack.Stage?.Id ?? "every stage"}) as Word: {name}"
        );
        return new Download(
            name,
            WordWriter.ContentType,
            (stream, token) => stream.WriteAsync(bytes, token).AsTask()
        );
    }

    public async Task<Download?> ActionsAsync(
        Guid reviewId,
        SheetFormat format,
        CancellationToken ct
    )
    {
        var review = await db
            .Reviews.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return null;
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        var actions = await ActionRows.LoadAsync(
            db,
            reviewId,
            edition,
            ActionRows.Today(clock),
            ct: ct
        );
        var name = ExportFileNames.ForReview(
            review.Title,
            "actions",
            Spreadsheet.Extension(format)
        );
        await AuditAsync(
            AuditActions.ActionsExported,
            reviewId,
            $"Action plan as {Format(format)}: {name}"
        );
        return Sheet(
            name,
            format,
            "Actions",
            ReviewSheets.ActionColumns,
            actions.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToList()
        );
    }

    /// <summary>Every review of the organisation, one row each, read from the database as the file is written.</summary>
    public async Task<Download> PortfolioAsync(SheetFormat format, CancellationToken ct)
    {
        var organisation = await db
            .Organisations.AsNoTracking()
            .Where(o => o.Id == member.OrganisationId)
            .Select(o => o.Name)
            .SingleAsync(ct);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        // One grouped query for the action counts (a few ints a review), rather than one per row.
        var counts = await db
            .Actions.AsNoTracking()
            .Where(a => a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress)
            .GroupBy(a => a.ReviewId)
            .Select(g => new
            {
                g.Key,
                Open = g.Count(),
                Overdue = g.Count(a => a.DueDate < today),
            })
            .ToDictionaryAsync(
                g => g.Key,
                g => new ReviewSheets.ActionCounts(g.Open, g.Overdue),
                ct
            );
        var editionIds = await db.Reviews.Select(r => r.EditionId).Distinct().ToListAsync(ct);
        var stages = new Dictionary<(string, string), string>();
        foreach (var editionId in editionIds)
        {
            if (await editions.FindAsync(editionId, ct) is { } edition)
            {
                foreach (var stage in edition.Stages)
                {
                    stages[(editionId, stage.Id)] = stage.Name;
                }
            }
        }
        var rows = db
            .Reviews.AsNoTracking()
            .OrderBy(r => r.Title)
            .ThenBy(r => r.Id)
            .Select(r => new ReviewSheets.PortfolioRow(
                r.Id,
                r.Title,
                r.ServiceArea,
                r.EditionId,
                r.CurrentStageId,
                r.CurrentRoundNumber,
                r.ItemCount,
                r.ConsideredCount,
                r.ConcernCount,
                r.UpdatedAt,
                r.ArchivedAt
            ));
        var columns = ReviewSheets.PortfolioColumns(
            (edition, stage) => stages.GetValueOrDefault((edition, stage), stage),
            counts
        );
        var name =
            $"peisc-portfolio-{ExportFileNames.Slug(organisation, "organisation")}-{ReviewSheets.Date(DateOnly.FromDateTime(today))}.{Spreadsheet.Extension(format)}";
        await AuditAsync(
            AuditActions.PortfolioExported,
            null,
            $"Portfolio as {Format(format)}: {name}"
        );
        return new Download(
            name,
            Spreadsheet.ContentType(format),
            format == SheetFormat.Csv
                ? (stream, token) =>
                    Spreadsheet.WriteCsvAsync(stream, columns, rows.AsAsyncEnumerable(), token)
                // MiniExcel enumerates synchronously: the rows are read as it writes, never all held at once.
                : (stream, token) =>
                    Spreadsheet.WriteXlsxBufferedAsync(
                        stream,
                        "Reviews",
                        columns,
                        rows.AsEnumerable(),
                        token
                    )
        );
    }

    private static Download Sheet<T>(
        string name,
        SheetFormat format,
        string sheetName,
        IReadOnlyList<SheetColumn<T>> columns,
        IReadOnlyList<T> rows
    ) =>
        new(
            name,
            Spreadsheet.ContentType(format),
            format == SheetFormat.Csv
                ? (stream, ct) => Spreadsheet.WriteCsvAsync(stream, columns, rows, ct)
                : (stream, ct) =>
                    Spreadsheet.WriteXlsxBufferedAsync(stream, sheetName, columns, rows, ct)
        );

    private static string Format(SheetFormat format) => format == SheetFormat.Csv ? "CSV" : "XLSX";

    private Task AuditAsync(string action, Guid? reviewId, string detail) =>
        audit.WriteAsync(
            action,
            reviewId is null ? "Organisation" : "Review",
            (reviewId ?? member.OrganisationId)?.ToString(),
            detail
        );
}
