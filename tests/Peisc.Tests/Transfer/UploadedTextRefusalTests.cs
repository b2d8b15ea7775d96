using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Transfer;

/// <summary>
/// Text that PostgreSQL cannot keep, arriving in an uploaded file: a NUL character in a review file
/// or a framework edition, an edition title or version longer than its column. Each is refused
/// naming the place, on both databases alike, with nothing saved, instead of a server error.
/// </summary>
public sealed class UploadedTextRefusalTests
{
    [Theory, BothDatabases]
    public async Task ReviewFile_WithNulInItsText_IsRefusedNamingThePlaceAndImportsNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "A review to move");
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var exported = await api.GetAsync($"/api/v1/reviews/{review.Id}/exports/review.json");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var file = JsonNode.Parse(await exported.Content.ReadAsStringAsync())!;
        file["review"]!["title"] = "A review\0 to move";
        file["review"]!["innovation"] = "Family\0 group meetings";

        var response = await api.PostAsync(
            "/api/v1/reviews/import",
            new StringContent(file.ToJsonString(), Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await response.JsonAsync())
            .GetProperty("problems")
            .EnumerateArray()
            .Select(p => (Path: p.Text("path"), Message: p.Text("message")))
            .ToList();
        Assert.Equal(["$.review.title", "$.review.innovation"], problems.Select(p => p.Path));
        Assert.All(
            problems,
            p => Assert.Contains("NUL character (U+0000)", p.Message, StringComparison.Ordinal)
        );
        Assert.Equal(1, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Edition_WithNulOrOverLongTitleOrVersion_IsRefusedNamingEachPlaceAndSavesNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(org.Owner);
        var edition = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.EditionPath))!;
        edition["id"] = "peisc-local";
        edition["title"] = new string('T', 301);
        edition["version"] = new string('v', 101);
        edition["sections"]![1]!["cells"]![0]!["items"]![0]!["text"] = "Consent\0 is sought";

        var page = await owner.GetPageAsync("/organisation/editions");
        var response = await owner.UploadAsync(
            page,
            "Upload",
            "edition.json",
            Encoding.UTF8.GetBytes(edition.ToJsonString())
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var problems = (await Html.ToPageAsync(response, page.Url))
            .FindAll("#edition-problems li")
            .Select(li => Page.Normalise(li.TextContent))
            .ToList();
        Assert.Contains(problems, p => p.Contains("(at $.title)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("(at $.version)", StringComparison.Ordinal));
        Assert.Contains(
            problems,
            p =>
                p.Contains("U+0000", StringComparison.Ordinal)
                && p.Contains("(at $.sections[1].cells[0].items[0].text)", StringComparison.Ordinal)
        );
        Assert.Equal(0, await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), org.Id));

        // At the limits, the same edition is kept.
        edition["title"] = new string('T', 300);
        edition["version"] = new string('v', 100);
        edition["sections"]![1]!["cells"]![0]!["items"]![0]!["text"] = "Consent is sought";
        var accepted = await owner.UploadAsync(
            await owner.GetPageAsync("/organisation/editions"),
            "Upload",
            "edition.json",
            Encoding.UTF8.GetBytes(edition.ToJsonString())
        );
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(1, await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), org.Id));
    }
}
