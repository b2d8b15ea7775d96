using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reports;

namespace Peisc.Web.Transfer;

/// <summary>
/// The whole-review JSON file: its schema (public, like the framework's), the download for people and
/// for programs, and the import for programs (people import on the /reviews/import page).
/// </summary>
public static class TransferEndpoints
{
    public static void MapReviewTransfer(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/api/v1/reviews/schema",
                () => TypedResults.Text(ReviewImport.SchemaText, "application/schema+json")
            )
            .AllowAnonymous()
            .WithTags("Exports")
            .WithName("GetReviewSchema")
            .WithSummary(
                "The JSON Schema of the whole-review file (schema peisc-review, version 1)."
            );

        app.MapGet(
                "/reviews/{id:guid}/exports/review.json",
                async (Guid id, ReviewTransfer transfer, CancellationToken ct) =>
                    Send(await transfer.ExportAsync(id, ct)) ?? Results.NotFound()
            )
            .RequireAuthorization(Policies.Member)
            .ExcludeFromDescription();

        var api = app.MapGroup("/api/v1/reviews")
            .WithTags("Exports")
            .RequireAuthorization(Policies.AccessToken)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet(
                "/{id:guid}/exports/review.json",
                async (Guid id, ReviewTransfer transfer, CancellationToken ct) =>
                    Send(await transfer.ExportAsync(id, ct))
                    ?? TypedResults.Problem(
                        statusCode: StatusCodes.Status404NotFound,
                        title: "No such review",
                        detail: "Your organisation has no review with that id."
                    )
            )
            .WithName("ExportReviewJson")
            .WithSummary(
                "The whole review as JSON: every round with its answers and their history, individual reflection, actions and discussions (see /api/v1/reviews/schema)."
            )
            .Produces(StatusCodes.Status200OK, contentType: ReviewTransfer.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/import", ImportAsync)
            .WithName("ImportReview")
            .WithSummary(
                $"Recreates a review from a file made by ExportReviewJson (up to {ReviewImport.MaxSize}), with new ids, in your organisation. Owners and facilitators. Nothing is written if the file is refused."
            )
            .Accepts<ReviewDocument>(ReviewTransfer.ContentType)
            // Above the limit by more than the import reads at a time, so the server's own limit never
            // cuts in first: a file too large always gets the clear message below.
            .WithMetadata(new RequestSizeLimitAttribute(ReviewImport.MaxBytes + 128 * 1024))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    public sealed record Imported(Guid Id, string Title, string Url);

    private static async Task<Results<Created<Imported>, ProblemHttpResult>> ImportAsync(
        HttpRequest request,
        ReviewImport import,
        CurrentMember member,
        AuditLog audit,
        CancellationToken ct
    )
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            // trust.md R1: a refused request is part of the record.
            await audit.WriteAsync(
                AuditActions.AccessDenied,
                detail: $"{request.Method} {request.Path}"
            );
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Your role does not allow this",
                detail: "Only owners and facilitators import reviews."
            );
        }
        var result = await import.ImportAsync(request.Body, request.ContentLength, ct);
        if (result.TooLarge)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The file is too large",
                detail: result.Problems[0].Message
            );
        }
        if (!result.Succeeded)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The review file was refused: nothing was imported",
                detail: result.Problems[0].Message,
                extensions: new Dictionary<string, object?>
                {
                    ["problems"] = result
                        .Problems.Select(p => new { path = p.Path, message = p.Message })
                        .ToList(),
                }
            );
        }
        var url = $"/api/v1/reviews/{result.ReviewId}";
        return TypedResults.Created(url, new Imported(result.ReviewId!.Value, result.Title!, url));
    }

    private static IResult? Send(Download? download) =>
        download is null
            ? null
            : Results.Stream(
                stream => download.WriteAsync(stream, CancellationToken.None),
                download.ContentType,
                download.FileName
            );
}
