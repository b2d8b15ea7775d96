using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Tests.Trust;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

/// <summary>
/// A colleague deletes a review at the very moment someone else writes to it. A trigger on the
/// child table deletes the review just before the row goes in, as the colleague's delete landing
/// between the page's look-up and its insert would: the database then refuses the row (and, the
/// statement failing, undoes the trigger's delete too, which the colleague's own would not). The
/// writer gets "not found", as a moment later, never a server error, and nothing of theirs is kept.
/// </summary>
public sealed class DeletedMeanwhileTests
{
    private static Task DeleteReviewJustBeforeInsertAsync(TestApp app, string table) =>
        app.ExecuteOutsideTheAppAsync(
            app.Provider == Db.Sqlite
                ? $"""
                CREATE TRIGGER colleague_deletes BEFORE INSERT ON "{table}"
                BEGIN DELETE FROM "Reviews" WHERE "Id" = NEW."ReviewId"; END;
                """
                : $"""
                CREATE FUNCTION colleague_deletes() RETURNS trigger AS $$
                BEGIN DELETE FROM "Reviews" WHERE "Id" = NEW."ReviewId"; RETURN NEW; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER colleague_deletes BEFORE INSERT ON "{table}"
                FOR EACH ROW EXECUTE FUNCTION colleague_deletes();
                """,
            expectRows: false
        );

    [Theory, BothDatabases]
    public async Task Comment_OnAReviewDeletedMeanwhile_IsNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(
            $"/reviews/{review.Id}/items/human-rights.process.1/discussion"
        );
        await DeleteReviewJustBeforeInsertAsync(app, "Comments");

        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string> { ["Input.Body"] = "Is this settled?" }
        );

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var shown = await Html.ToPageAsync(response, page.Url);
        Assert.Equal("Page not found", shown.Find("h1")?.TextContent.Trim());
        Assert.Empty((await app.ScanAsync(["Is this settled?"])).Hits);
    }

    [Theory, BothDatabases]
    public async Task ApiAction_OnAReviewDeletedMeanwhile_IsNotFoundProblem(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        await DeleteReviewJustBeforeInsertAsync(app, "Actions");

        var response = await api.PostJsonAsync(
            $"/api/v1/reviews/{review.Id}/actions",
            new
            {
                title = "Ask the family reference group",
                ownerUserId = org[MemberRole.Owner].Id,
                dueDate = "2030-01-31",
            }
        );

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await app.ScanAsync(["Ask the family reference group"])).Hits);
    }
}
