using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Framework;

namespace Peisc.Tests.Integration;

public sealed class BrowseFrameworkTests
{
    private const string ArticleUrl = "https://sro.sussex.ac.uk/id/eprint/98712/";

    private static readonly FrameworkEdition Edition = FrameworkLoader.LoadBuiltIn("peisc");

    [Theory, BothDatabases]
    public async Task StartPage_Anonymous_ShowsTheFiveSituationsVerbatim(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/");

        var listed = page.FindAll("main li").Select(li => Page.Normalise(li.TextContent)).ToList();
        Assert.Equal(5, Edition.Situations.Count);
        Assert.All(Edition.Situations, s => Assert.Contains(s.Text, listed));
    }

    [Theory, BothDatabases]
    public async Task StartPage_Anonymous_CreditsTheInnovateProjectAndLinksToTheArticle(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/");

        var attribution = page.Find("#attribution");
        Assert.NotNull(attribution);
        Assert.Contains("Innovate Project", attribution.TextContent, StringComparison.Ordinal);
        Assert.Contains(
            Edition.Source.Attribution,
            Page.Normalise(attribution.TextContent),
            StringComparison.Ordinal
        );
        var link = Assert.Single(attribution.QuerySelectorAll($"a[href='{ArticleUrl}']"));
        Assert.Equal(Edition.Source.Article.Title, Page.Normalise(link.TextContent));
    }

    [Theory, BothDatabases]
    public async Task FrameworkGrid_Anonymous_IsATableOfFourSectionsByThreeDomainsLinkingToEveryCell(
        Db db
    )
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/framework");

        var table = page.Find("main table");
        Assert.NotNull(table);
        var rowHeaders = table.QuerySelectorAll("tbody th[scope=row]").ToList();
        var columnHeaders = table.QuerySelectorAll("thead th[scope=col]").ToList();
        Assert.Equal(4, rowHeaders.Count);
        Assert.Equal(3, columnHeaders.Count);
        Assert.Equal(
            Edition.Sections.Select(s => s.ShortTitle),
            rowHeaders.Select(th => Page.Normalise(th.TextContent))
        );
        Assert.All(
            Edition.Domains.Zip(columnHeaders),
            pair => Assert.StartsWith(pair.First.Title, Page.Normalise(pair.Second.TextContent))
        );

        var links = table.QuerySelectorAll("tbody td a").ToList();
        Assert.Equal(12, links.Count);
        Assert.Equal(
            Edition
                .Sections.SelectMany(s => Edition.Domains.Select(d => $"/framework/{s.Id}/{d.Id}"))
                .Order(),
            links.Select(a => a.GetAttribute("href")!).Order()
        );
    }

    [Theory, BothDatabases]
    public async Task CellPages_Anonymous_ShowTheQuestionAndEveryItemVerbatim(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();
        var client = app.Browser();

        Assert.Equal(12, Edition.AllCells.Count());
        foreach (var section in Edition.Sections)
        {
            foreach (var cell in section.Cells)
            {
                var page = await client.GetPageAsync($"/framework/{section.Id}/{cell.Domain}");

                Assert.Equal(Edition.FindDomain(cell.Domain)!.Title, page.Heading);
                Assert.Contains(section.Title, page.Text, StringComparison.Ordinal);
                Assert.Equal(cell.Question, TextOf(page, cell.Id));
                Assert.All(cell.Items, item => Assert.Equal(item.Text, TextOf(page, item.Id)));
                Assert.Equal(cell.Items.Count, page.FindAll("main li[id]").Count());
            }
        }
    }

    [Theory, BothDatabases]
    public async Task CellPage_UnknownCell_AnswersPageNotFound(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser()
            .GetPageAsync("/framework/nope/process", HttpStatusCode.NotFound);

        Assert.Equal("Page not found", page.Heading);
    }

    [Theory, BothDatabases]
    public async Task StagesPage_Anonymous_ShowsTheSixStagesWithTheirDescriptions(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/framework/stages");

        Assert.Equal(6, Edition.Stages.Count);
        Assert.All(
            Edition.Stages,
            stage =>
            {
                var text = TextOf(page, stage.Id);
                Assert.Contains($"{stage.Number}. {stage.Name}", text, StringComparison.Ordinal);
                Assert.Contains(stage.Description, text, StringComparison.Ordinal);
            }
        );
    }

    [Theory, BothDatabases]
    public async Task PrintPage_Anonymous_HasACardForEachCellWithEveryItemAndItsId(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/framework/print");

        var cards = page.FindAll(".app-question-card").ToList();
        Assert.Equal(12, cards.Count);
        foreach (var (cell, card) in Edition.AllCells.Zip(cards))
        {
            var text = Page.Normalise(card.TextContent);
            Assert.Contains(cell.Question, text, StringComparison.Ordinal);
            Assert.All(
                cell.Items,
                item =>
                {
                    Assert.Contains(item.Text, text, StringComparison.Ordinal);
                    Assert.Contains($"({item.Id})", text, StringComparison.Ordinal);
                }
            );
        }
    }

    [Theory, BothDatabases]
    public async Task StartAndSignIn_NobodyHasAnAccountYet_RedirectToSetUp(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();

        foreach (var url in new[] { "/", "/account/sign-in" })
        {
            var response = await client.GetAsync(url);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/setup", response.LocationPath());
        }
    }

    [Theory, BothDatabases]
    public async Task FrameworkPages_NobodyHasAnAccountYet_AreStillReadable(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();

        var grid = await client.GetPageAsync("/framework");
        var cell = await client.GetPageAsync("/framework/overarching/process");

        Assert.Equal(Edition.Title, grid.Heading);
        Assert.Equal(
            Edition.FindCell("overarching", "process")!.Question,
            TextOf(cell, "overarching.process")
        );
    }

    private static string TextOf(Page page, string id)
    {
        var element = page.Document.GetElementById(id);
        Assert.True(element is not null, $"No element with id '{id}' on {page.Url}");
        return Page.Normalise(element.TextContent);
    }
}
