using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Transfer;

namespace Peisc.Web.Reports;

/// <summary>
/// The downloads, twice: under /reviews for people signed in (linked from a review's "Export and
/// reports" page), and under /api/v1 for programs with an access token. Both call ReviewExports.
/// </summary>
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/reviews")
            .RequireAuthorization(Policies.Member)
            .ExcludeFromDescription();
        MapReviewDownloads(pages, api: false);
        MapDocuments(pages, api: false);
        MapFacilitationPack(pages, api: false);
        MapPortfolio(pages, api: false);

        var reviews = app.MapGroup("/api/v1/reviews")
            .WithTags("Exports")
            .RequireAuthorization(Policies.AccessToken)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        MapReviewDownloads(reviews, api: true);
        MapDocuments(reviews, api: true);
        MapFacilitationPack(reviews, api: true);
        var organisation = app.MapGroup("/api/v1/exports")
            .WithTags("Exports")
            .RequireAuthorization(Policies.AccessToken)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        MapPortfolio(organisation, api: true);
        app.MapReviewTransfer();
    }

    private static void MapReviewDownloads(RouteGroupBuilder group, bool api)
    {
        foreach (var format in Enum.GetValues<SheetFormat>())
        {
            var extension = Spreadsheet.Extension(format);
            var answers = group.MapGet(
                $"/{{id:guid}}/exports/answers.{extension}",
                async (Guid id, int? round, ReviewExports exports, CancellationToken ct) =>
                    Send(await exports.AnswersAsync(id, round, format, ct), api)
            );
            var actions = group.MapGet(
                $"/{{id:guid}}/exports/actions.{extension}",
                async (Guid id, ReviewExports exports, CancellationToken ct) =>
                    Send(await exports.ActionsAsync(id, format, ct), api)
            );
            if (api)
            {
                answers
                    .WithName($"ExportAnswers{format}")
                    .WithSummary(
                        $"The review's answers as {extension.ToUpperInvariant()}: one row per item of the framework, in the current round (or ?round=N)."
                    )
                    .Produces(
                        StatusCodes.Status200OK,
                        contentType: Spreadsheet.ContentType(format)
                    );
                actions
                    .WithName($"ExportActions{format}")
                    .WithSummary(
                        $"The review's action plan as {extension.ToUpperInvariant()}: one row per action."
                    )
                    .Produces(
                        StatusCodes.Status200OK,
                        contentType: Spreadsheet.ContentType(format)
                    );
            }
        }
    }

    private static void MapDocuments(RouteGroupBuilder group, bool api)
    {
        foreach (var asPdf in new[] { false, true })
        {
            var extension = asPdf ? "pdf" : "docx";
            var kind = asPdf
                ? "a tagged PDF, converted from the Word document by LibreOffice"
                : "a Word document";
            var type = asPdf ? PdfConverter.ContentType : WordWriter.ContentType;
            var board = group.MapGet(
                $"/{{id:guid}}/exports/board-report.{extension}",
                (Guid id, int? round, ReviewExports exports, CancellationToken ct) =>
                    SendAsync(() => exports.BoardReportAsync(id, round, asPdf, ct), api)
            );
            var summary = group.MapGet(
                $"/{{id:guid}}/exports/summary.{extension}",
                (Guid id, int? round, ReviewExports exports, CancellationToken ct) =>
                    SendAsync(() => exports.SummaryAsync(id, round, asPdf, ct), api)
            );
            if (api)
            {
                var name = asPdf ? "Pdf" : "Docx";
                board
                    .WithName($"ExportBoardReport{name}")
                    .WithSummary(
                        $"The board report as {kind}: cover, executive summary, every cell's answers, the action plan, what changed since the previous round. The current round, or ?round=N."
                    )
                    .Produces(StatusCodes.Status200OK, contentType: type);
                summary
                    .WithName($"ExportSummary{name}")
                    .WithSummary(
                        $"The one-page summary as {kind}: the grid, the three most serious concerns, what happens next. The current round, or ?round=N."
                    )
                    .Produces(StatusCodes.Status200OK, contentType: type);
                if (asPdf)
                {
                    board.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
                    summary.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
                }
            }
        }
    }

    private static void MapFacilitationPack(RouteGroupBuilder group, bool api)
    {
        var pack = group.MapGet(
            "/{id:guid}/exports/facilitation-pack.docx",
            async (
                Guid id,
                string? situation,
                string? stage,
                ReviewExports exports,
                CancellationToken ct
            ) => Send(await exports.FacilitationPackAsync(id, situation, stage, ct), api)
        );
        if (api)
        {
            pack.WithName("ExportFacilitationPackDocx")
                .WithSummary(
                    "Blank question cards and a worksheet as a Word document, for a workshop. ?situation=situation.N and ?stage=stage.N (or all); by default the review's own situation and current stage."
                )
                .Produces(StatusCodes.Status200OK, contentType: WordWriter.ContentType);
        }
    }

    private static async Task<IResult> SendAsync(Func<Task<Download?>> make, bool api)
    {
        try
        {
            return Send(await make(), api);
        }
        catch (PdfUnavailableException ex)
        {
            // Pages get the site's error page (the export page offers no PDF link when it is off).
            return api
                ? TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "PDF is not available",
                    detail: ex.Message
                )
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static void MapPortfolio(RouteGroupBuilder group, bool api)
    {
        foreach (var format in Enum.GetValues<SheetFormat>())
        {
            var extension = Spreadsheet.Extension(format);
            var portfolio = group.MapGet(
                $"/portfolio.{extension}",
                async (ReviewExports exports, CancellationToken ct) =>
                    Send(await exports.PortfolioAsync(format, ct), api)
            );
            if (api)
            {
                portfolio
                    .WithName($"ExportPortfolio{format}")
                    .WithSummary(
                        $"Every review of the organisation as {extension.ToUpperInvariant()}: stage, round, progress, concerns, open and overdue actions."
                    )
                    .Produces(
                        StatusCodes.Status200OK,
                        contentType: Spreadsheet.ContentType(format)
                    );
            }
        }
    }

    private static IResult Send(Download? download, bool api) =>
        download is null
            ? NotFound(api)
            : Results.Stream(
                stream => download.WriteAsync(stream, CancellationToken.None),
                download.ContentType,
                download.FileName
            );

    // Pages get the site's "page not found"; programs get problem details. Another organisation's
    // review is indistinguishable from a missing one (trust.md A2).
    private static IResult NotFound(bool api) =>
        api
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such review or round",
                detail: "Your organisation has no review with that id, or the review has no such round."
            )
            : Results.NotFound();
}
