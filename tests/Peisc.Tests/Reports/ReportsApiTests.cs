using System.Net;
using System.Text.Json;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5: every download through the API with an access token, described in the OpenAPI document.</summary>
public sealed class ReportsApiTests
{
    private static readonly string[] ReviewFiles =
    [
        "answers.xlsx",
        "answers.csv",
        "actions.xlsx",
        "actions.csv",
        "board-report.docx",
        "summary.docx",
        "facilitation-pack.docx",
    ];

    [Theory, BothDatabases]
    public async Task EveryExport_WithAViewersToken_DownloadsTheSameFileAsThePage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "By API");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "=SUM(1)"
        );
        var api = await app.ApiClientAsync(org, MemberRole.Viewer);

        foreach (var file in ReviewFiles)
        {
            var (bytes, name, _) = await api.DownloadAsync(
                $"/api/v1/reviews/{review.Id}/exports/{file}"
            );
            Assert.StartsWith("peisc-by-api-", name, StringComparison.Ordinal);
            Assert.True(bytes.Length > 100, $"{file} is {bytes.Length} bytes");
        }
        var answers = ReportData.ReadCsv(
            (await api.DownloadAsync($"/api/v1/reviews/{review.Id}/exports/answers.csv")).Bytes
        );
        Assert.Equal(
            "'=SUM(1)",
            answers.Single(r => r["Item id"] == "human-rights.process.1")["Reasoning"]
        );
        var portfolio = ReportData.ReadXlsx(
            (await api.DownloadAsync("/api/v1/exports/portfolio.xlsx")).Bytes
        );
        Assert.Equal("By API", Assert.Single(portfolio)["Title"]);
        Assert.Equal(
            ReviewFiles.Length + 2,
            (await app.AuditAsync(org.Id)).Count(e =>
                e.Action.StartsWith("export.", StringComparison.Ordinal)
            )
        );
    }

    [Theory, BothDatabases]
    public async Task Exports_AnotherOrganisationsReviewOrNoToken_ProblemDetails(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(other, "CANARY-B");
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var anonymous = app.ApiClient(null);

        foreach (var file in ReviewFiles)
        {
            var response = await api.GetAsync($"/api/v1/reviews/{review.Id}/exports/{file}");
            var problem = await response.JsonAsync(HttpStatusCode.NotFound);
            Assert.Equal("No such review or round", problem.Text("title"));
            Assert.Equal(
                HttpStatusCode.Unauthorized,
                (await anonymous.GetAsync($"/api/v1/reviews/{review.Id}/exports/{file}")).StatusCode
            );
        }
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync("/api/v1/exports/portfolio.csv")).StatusCode
        );
        Assert.DoesNotContain(
            await app.AuditAsync(other.Id),
            e => e.Action.StartsWith("export.", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task OpenApi_DescribesEveryExportWithTheTokenScheme()
    {
        await using var app = new TestApp(Db.Sqlite);
        var client = app.Browser();

        var document = await (await client.GetAsync("/openapi/v1.json")).JsonAsync(
            HttpStatusCode.OK
        );

        var paths = document.GetProperty("paths");
        var expected = ReviewFiles
            .Concat(["board-report.pdf", "summary.pdf"])
            .Select(f => $"/api/v1/reviews/{{id}}/exports/{f}")
            .Concat(["/api/v1/exports/portfolio.xlsx", "/api/v1/exports/portfolio.csv"]);
        foreach (var path in expected)
        {
            Assert.True(
                paths.TryGetProperty(path, out var item),
                $"{path} is not in the OpenAPI document"
            );
            var get = item.GetProperty("get");
            Assert.Contains(
                "Exports",
                get.GetProperty("tags").EnumerateArray().Select(t => t.GetString())
            );
            Assert.Equal(JsonValueKind.Array, get.GetProperty("security").ValueKind);
        }
        Assert.DoesNotContain(
            paths.EnumerateObject().Select(p => p.Name),
            p => p.StartsWith("/reviews/", StringComparison.Ordinal)
        );
    }
}
