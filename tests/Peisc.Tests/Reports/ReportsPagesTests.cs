using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5 items 2 and 4: the board report's print view and the one-page summary as web pages, and the page that lists every download.</summary>
public sealed class ReportsPagesTests
{
    private static async Task<(TestApp App, TestOrganisation Org, Review Review)> SeedAsync(Db db)
    {
        var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync("Northshire Council");
        var review = await app.CreateReviewAsync(org, "Family group conferencing pilot");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AnswerInFullAsync(
            org,
            org[MemberRole.Contributor],
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            reasoning: "Consent is unclear.\nSecond line.",
            evidence: "Panel notes",
            voices: Voices.Families,
            dissent: "Some think it is fine."
        );
        for (var i = 1; i <= 4; i++)
        {
            await app.AnswerAsync(
                org,
                review.Id,
                $"social-justice.innovation.{i}",
                Position.Concern,
                $"Concern {i}"
            );
        }
        await app.CreateActionAsync(
            org,
            review.Id,
            "Write the consent leaflet",
            today.AddDays(-1),
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await app.CreateActionAsync(org, review.Id, "Ask the parent panel", today.AddDays(9));
        return (app, org, review);
    }

    [Theory, BothDatabases]
    public async Task PrintView_AsViewer_ShowsTheBoardReportWithItsPrintStylesheet(Db db)
    {
        var (app, org, review) = await SeedAsync(db);
        await using var _ = app;
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/report");

        Assert.Equal("Ethical review: Family group conferencing pilot", page.Heading);
        Assert.Equal(
            [
                "Executive summary",
                "The framework, cell by cell",
                "Action plan",
                "What changed since the previous round",
                "Appendix: the framework",
            ],
            page.FindAll("h2.app-report-part").Select(h => Page.Normalise(h.TextContent))
        );
        Assert.Equal(12, page.FindAll("section.app-report-cell h3").Count());
        Assert.Equal(77, page.FindAll(".app-report-cell .app-report-item h4").Count());
        var item = page.Find("#item-human-rights\\.process\\.1")!;
        Assert.Contains(
            "Consent is unclear.\nSecond line.",
            item.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains("Some think it is fine.", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Panel notes", item.TextContent, StringComparison.Ordinal);
        Assert.Contains(
            "Northshire Council",
            page.Find("#report-cover")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(
            org[MemberRole.Contributor].Name,
            page.Find("#report-cover")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(ReviewData.Peisc.Source.Attribution, page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.Find("link[rel=stylesheet][href^='/css/report.css']"));
        Assert.Empty(page.FindAll("style, [style]"));
        var css = await client.GetAsync("/css/report.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains(
            "@media print",
            await css.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task OnePage_AsViewer_GridThreeConcernsAndWhatHappensNext(Db db)
    {
        var (app, org, review) = await SeedAsync(db);
        await using var _ = app;
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/one-page");

        Assert.Equal("Summary: Family group conferencing pilot", page.Heading);
        Assert.Equal(
            ["Where the review stands", "The three most serious concerns", "What happens next"],
            page.FindAll("main h2").Select(h => Page.Normalise(h.TextContent))
        );
        var rows = page.FindAll("#report-grid tbody tr").ToList();
        Assert.Equal(
            "1 of 5 considered 1 concern",
            Page.Normalise(rows[1].QuerySelectorAll("td")[1].TextContent)
        );
        Assert.Equal(
            "4 of 9 considered 4 concerns",
            Page.Normalise(rows[2].QuerySelectorAll("td")[0].TextContent)
        );
        var concerns = page.FindAll(".app-report-concern h3")
            .Select(h => Page.Normalise(h.TextContent))
            .ToList();
        Assert.Equal(3, concerns.Count);
        // The concern with an overdue action comes after the three with none.
        Assert.All(
            concerns,
            c => Assert.StartsWith("Social justice: The innovation: ", c, StringComparison.Ordinal)
        );
        Assert.Contains(
            "2 more concerns are in the full board report.",
            page.Text,
            StringComparison.Ordinal
        );
        Assert.Equal(
            ["Write the consent leaflet", "Ask the parent panel"],
            page.FindAll("#next-actions tbody tr td:first-child")
                .Select(td => Page.Normalise(td.TextContent))
        );
    }

    [Theory, BothDatabases]
    public async Task ExportsPage_AsViewer_LinksEveryDownloadThatWorks(Db db)
    {
        var (app, org, review) = await SeedAsync(db);
        await using var _ = app;
        await app.StartRoundAsync(org, review.Id, "stage.3");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/exports");

        Assert.Equal("Export and reports", page.Heading);
        var links = page.FindAll("main a[href]")
            .Select(a => a.GetAttribute("href")!)
            .Where(h => h.StartsWith("/reviews/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains($"/reviews/{review.Id}/exports/answers.xlsx?round=1", links);
        Assert.Contains($"/reviews/{review.Id}/exports/answers.csv?round=2", links);
        Assert.Contains($"/reviews/{review.Id}/exports/board-report.docx", links);
        Assert.Contains($"/reviews/{review.Id}/one-page", links);
        foreach (
            var link in links.Where(l =>
                l.Contains("/exports/", StringComparison.Ordinal)
                || l.EndsWith("report", StringComparison.Ordinal)
                || l.EndsWith("one-page", StringComparison.Ordinal)
            )
        )
        {
            var response = await client.GetAsync(link);
            Assert.True(
                response.StatusCode == HttpStatusCode.OK,
                $"{link}: {(int)response.StatusCode}"
            );
        }
        var index = await client.GetPageAsync("/reviews");
        Assert.NotNull(index.Find("a[href='/reviews/portfolio.xlsx']"));
        Assert.NotNull(index.Find("a[href='/reviews/portfolio.csv']"));
    }

    [Theory, BothDatabases]
    public async Task ReportPages_AnotherOrganisationsReview_NotFound(Db db)
    {
        var (app, _, review) = await SeedAsync(db);
        await using var __ = app;
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(other.Owner);

        foreach (var path in new[] { "exports", "report", "one-page" })
        {
            await client.GetPageAsync($"/reviews/{review.Id}/{path}", HttpStatusCode.NotFound);
        }
    }
}
