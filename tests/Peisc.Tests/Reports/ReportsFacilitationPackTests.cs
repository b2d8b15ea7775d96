using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5 item 7: blank question cards and a worksheet, by situation and stage, in Word and to print.</summary>
public sealed class ReportsFacilitationPackTests
{
    private static string StageItem(string stage) =>
        ReviewData
            .Peisc.FindCell("overarching", "process")!
            .Items.Single(i => i.Stage == stage)
            .Text;

    [Theory, BothDatabases]
    public async Task FacilitationPack_ChosenSituationAndStage_CardsAndWorksheetForThatStage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(
            org,
            "Workshop",
            "stage.2",
            situationId: "situation.2"
        );
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "ANSWER-TEXT-NOT-FOR-THE-PACK"
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var query = "?situation=situation.4&stage=stage.5";

        var (bytes, name, _) = await client.DownloadAsync(
            $"/reviews/{review.Id}/exports/facilitation-pack.docx{query}"
        );
        var page = await client.GetPageAsync($"/reviews/{review.Id}/facilitation-pack{query}");

        Assert.Equal("peisc-workshop-facilitation-pack-growing.docx", name);
        var word = new WordFile(bytes);
        Assert.True(word.Errors.Count == 0, string.Join("\n", word.Errors));
        Assert.Equal(["Question cards", "Worksheet"], word.Headings(1));
        Assert.Equal(24, word.Headings(2).Count());
        Assert.Contains(
            $"Situation: {ReviewData.Peisc.Situations[3].Text}",
            word.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(StageItem("stage.5"), word.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(StageItem("stage.2"), word.Text, StringComparison.Ordinal);
        Assert.Contains(
            ReviewData.Peisc.FindCell("social-justice", "outcomes")!.Question,
            word.Text,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("ANSWER-TEXT-NOT-FOR-THE-PACK", word.Text, StringComparison.Ordinal);
        Assert.True(word.HeaderRowsRepeat);

        Assert.Equal(12, page.FindAll(".app-question-card").Count());
        Assert.Equal(12, page.FindAll("table.app-worksheet").Count());
        Assert.Equal(
            "situation.4",
            page.Find("#situation option[selected]")!.GetAttribute("value")
        );
        Assert.Equal("stage.5", page.Find("#stage option[selected]")!.GetAttribute("value"));
        Assert.Contains(StageItem("stage.5"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(StageItem("stage.2"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ANSWER-TEXT-NOT-FOR-THE-PACK", page.Text, StringComparison.Ordinal);
        Assert.NotNull(
            page.Find($"a[href='/reviews/{review.Id}/exports/facilitation-pack.docx{query}']")
        );
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.FacilitationPackExported
        );
    }

    [Fact]
    public async Task FacilitationPack_NoChoiceOrUnknownIds_UsesTheReviewsSituationAndStage_AllShowsEveryStage()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(
            org,
            "Defaults",
            "stage.3",
            situationId: "situation.1"
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var plain = await client.GetPageAsync(
            $"/reviews/{review.Id}/facilitation-pack?situation=nope&stage=nope"
        );
        var all = new WordFile(
            (
                await client.DownloadAsync(
                    $"/reviews/{review.Id}/exports/facilitation-pack.docx?stage=all"
                )
            ).Bytes
        );

        Assert.Equal(
            "situation.1",
            plain.Find("#situation option[selected]")!.GetAttribute("value")
        );
        Assert.Equal("stage.3", plain.Find("#stage option[selected]")!.GetAttribute("value"));
        Assert.Contains(StageItem("stage.3"), plain.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(StageItem("stage.4"), plain.Text, StringComparison.Ordinal);
        Assert.All(
            ReviewData.Peisc.Stages,
            s => Assert.Contains(StageItem(s.Id), all.Text, StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task FacilitationPack_AnotherOrganisationsReview_NotFound()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(other, "Theirs");
        var client = await app.SignedInAsync(org.Owner);

        await client.GetPageAsync(
            $"/reviews/{review.Id}/facilitation-pack",
            HttpStatusCode.NotFound
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await client.GetAsync($"/reviews/{review.Id}/exports/facilitation-pack.docx")
            ).StatusCode
        );
    }
}
