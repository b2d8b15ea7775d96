using Microsoft.AspNetCore.Http.HttpResults;
using Peisc.Web.Framework;

namespace Peisc.Web.Api;

public static class FrameworksApi
{
    public sealed record EditionSummary(
        string Id,
        string Title,
        string ShortTitle,
        string Version,
        string Language,
        bool BuiltIn,
        string Href
    );

    public static void MapFrameworksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/frameworks").WithTags("Frameworks").AllowAnonymous();

        group
            .MapGet(
                "/",
                (FrameworkCatalog catalog) =>
                    TypedResults.Ok(
                        catalog
                            .BuiltIn.Select(e => new EditionSummary(
                                e.Id,
                                e.Title,
                                e.ShortTitle,
                                e.Version,
                                e.Language,
                                true,
                                $"/api/v1/frameworks/{e.Id}"
                            ))
                            .ToList()
                    )
            )
            .WithName("ListFrameworks")
            .WithSummary("The framework editions built into this installation.");

        group
            .MapGet(
                "/schema",
                () => TypedResults.Text(FrameworkLoader.SchemaText, "application/schema+json")
            )
            .WithName("GetFrameworkSchema")
            .WithSummary("The JSON Schema that every framework edition file follows.");

        group
            .MapGet(
                "/{id}",
                Results<Ok<FrameworkEdition>, ProblemHttpResult> (
                    string id,
                    FrameworkCatalog catalog
                ) =>
                    catalog.FindBuiltIn(id) is { } edition
                        ? TypedResults.Ok(edition)
                        : TypedResults.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such framework edition",
                            detail: $"There is no built-in framework edition with the id '{id}'."
                        )
            )
            .WithName("GetFramework")
            .WithSummary(
                "A whole framework edition: every section, domain, question, item and stage, verbatim."
            );
    }
}
