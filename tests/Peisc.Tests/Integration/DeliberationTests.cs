using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>Issue 4, items 1 to 3: individual reflection, divergence and the agreed position.</summary>
public sealed class DeliberationTests
{
    private const string CellPath = "human-rights/process";
    private const string FirstItem = "human-rights.process.1";

    private sealed record Team(
        TestApp App,
        TestOrganisation Org,
        Review Review,
        HttpClient Facilitator,
        HttpClient Alice,
        HttpClient Bob,
        TestUser AliceUser,
        TestUser BobUser
    );

    private static async Task<Team> TeamAsync(TestApp app)
    {
        var org = await app.CreateOrganisationAsync(
            roles:
            [
                MemberRole.Owner,
                MemberRole.Facilitator,
                MemberRole.Contributor,
                MemberRole.Viewer,
            ]
        );
        var bob = await app.AddMemberAsync(org.Id, MemberRole.Contributor, name: "Bob Second");
        var review = await app.CreateReviewAsync(org, "Family time app");
        return new Team(
            app,
            org,
            review,
            await app.SignedInAsync(org[MemberRole.Facilitator]),
            await app.SignedInAsync(org[MemberRole.Contributor]),
            await app.SignedInAsync(bob),
            org[MemberRole.Contributor],
            bob
        );
    }

    private static string Index(Team t) => $"/reviews/{t.Review.Id}/reflection";

    private static string Cell(Team t) => $"/reviews/{t.Review.Id}/reflection/{CellPath}";

    private static async Task OpenAllAsync(Team t)
    {
        var page = await t.Facilitator.GetPageAsync(Index(t));
        var opened = await t.Facilitator.SubmitAndFollowAsync(page, formSelector: "main form");
        Assert.Contains(
            "12 cells opened for individual reflection",
            opened.Text,
            StringComparison.Ordinal
        );
    }

    private static async Task RecordAsync(
        HttpClient client,
        Team t,
        Position position,
        string reasoning,
        string? minority = null,
        bool named = false
    )
    {
        var page = await client.GetPageAsync(Cell(t));
        var values = new Dictionary<string, string>
        {
            ["Views[0].Position"] = position.ToString(),
            ["Views[0].Reasoning"] = reasoning,
        };
        if (minority is not null)
        {
            values["Views[0].MinorityView"] = minority;
            values["Views[0].MinorityViewNamed"] = named ? "true" : "false";
        }
        var response = await client.SubmitAsync(page, values);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task RevealAsync(Team t)
    {
        var page = await t.Facilitator.GetPageAsync(Cell(t));
        var response = await t.Facilitator.SubmitAsync(
            page,
            formSelector: "main form[action*='Reveal']"
        );
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Views_AreHiddenFromOthersUntilTheFacilitatorRevealsThem(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        await OpenAllAsync(t);

        await RecordAsync(t.Alice, t, Position.Addressed, "Alice thinks consent is covered");
        await RecordAsync(t.Bob, t, Position.Concern, "Bob worries about the consent form");

        var aliceBefore = await t.Alice.GetPageAsync(Cell(t));
        Assert.Contains(
            "Alice thinks consent is covered",
            aliceBefore.Document.Body!.InnerHtml,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain(
            "Bob worries",
            aliceBefore.Document.Body!.InnerHtml,
            StringComparison.Ordinal
        );
        Assert.NotNull(aliceBefore.Find("#hidden-notice"));
        var facilitatorBefore = await t.Facilitator.GetPageAsync(Cell(t));
        Assert.DoesNotContain("Bob worries", facilitatorBefore.Text, StringComparison.Ordinal);
        var index = await t.Facilitator.GetPageAsync(Index(t));
        Assert.Equal(
            "2",
            Page.Normalise(
                index.Find("#cell-human-rights-process td.govuk-table__cell--numeric")!.TextContent
            )
        );
        Assert.Null(index.Find("#most-divergent"));

        await RevealAsync(t);

        var aliceAfter = await t.Alice.GetPageAsync(Cell(t));
        var views = Page.Normalise(aliceAfter.Find($"[id='views-{FirstItem}']")!.TextContent);
        Assert.Contains("Alice thinks consent is covered", views, StringComparison.Ordinal);
        Assert.Contains("Bob worries about the consent form", views, StringComparison.Ordinal);
        var spread = Page.Normalise(aliceAfter.Find($"[id='spread-{FirstItem}']")!.TextContent);
        Assert.Contains("1 addressed, 1 concern", spread, StringComparison.Ordinal);
        Assert.Contains("Views differ", spread, StringComparison.Ordinal);

        var discussFirst = await t.Alice.GetPageAsync(Index(t));
        var first = Page.Normalise(discussFirst.FindAll("#most-divergent li").First().TextContent);
        Assert.Contains(
            ReviewData.Peisc.FindItem(FirstItem)!.Item.Text,
            first,
            StringComparison.Ordinal
        );
        Assert.Contains("Views differ", first, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AgreedPosition_IsTheTeamsAnswer_AndKeepsMinorityViewsAndIndividualViews(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        await OpenAllAsync(t);
        await RecordAsync(t.Alice, t, Position.Addressed, "Covered in the pilot plan");
        await RecordAsync(
            t.Bob,
            t,
            Position.Concern,
            "Not for young carers",
            "Young carers were not asked",
            named: false
        );
        await RevealAsync(t);

        var page = await t.Facilitator.GetPageAsync(Cell(t));
        var minority = Page.Normalise(page.Find($"[id='minority-{FirstItem}']")!.TextContent);
        Assert.Equal("Anonymous: Young carers were not asked", minority);
        Assert.DoesNotContain("Bob Second: Young carers", page.Text, StringComparison.Ordinal);

        var form = $"[id='item-{FirstItem}'] form";
        // The dissent box starts with the minority views, as they will be kept.
        Assert.Equal(
            "Anonymous: Young carers were not asked",
            page.Find($"{form} textarea[name='Agreed.Dissent']")!.TextContent.Trim()
        );
        var saved = await t.Facilitator.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Agreed.Position"] = "PartlyAddressed",
                ["Agreed.Reasoning"] = "Covered for most families; young carers to be asked",
            },
            form
        );
        Assert.Contains(
            "The team's position is recorded for item 1",
            saved.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Partly addressed",
            Page.Normalise(saved.Find($"[id='agreed-{FirstItem}']")!.TextContent),
            StringComparison.Ordinal
        );

        var answer = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ReviewId == t.Review.Id && a.ItemId == FirstItem),
            t.Org.Id
        );
        Assert.Equal(Position.PartlyAddressed, answer.Position);
        Assert.Equal("Anonymous: Young carers were not asked", answer.Dissent);
        var individual = await app.QueryAsync(
            d => d.IndividualViews.Where(v => v.ItemId == FirstItem).CountAsync(),
            t.Org.Id
        );
        Assert.Equal(2, individual);

        // The team's answer page shows the agreed position; the history names who recorded it.
        var cell = await t.Alice.GetPageAsync($"/reviews/{t.Review.Id}/cells/{CellPath}");
        Assert.Equal(
            "PartlyAddressed",
            cell.Find("input[name='Items[0].Position'][checked]")?.GetAttribute("value")
        );
    }

    [Theory, BothDatabases]
    public async Task AgreedPosition_WithoutAPosition_ComesBackWithTheTextIntact(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        await OpenAllAsync(t);
        await RevealAsync(t);
        var page = await t.Facilitator.GetPageAsync(Cell(t));
        var form = $"[id='item-{FirstItem}'] form";

        var response = await t.Facilitator.SubmitAsync(
            page,
            new Dictionary<string, string> { ["Agreed.Reasoning"] = "Typed with care" },
            form
        );
        var back = await Html.ToPageAsync(response, page.Url);

        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(["Select the position the team agrees"], back.ErrorSummary);
        Assert.Equal(
            "Typed with care",
            back.Find("textarea[name='Agreed.Reasoning']")!.TextContent.Trim()
        );
        Assert.StartsWith("Error: ", back.Document.Title, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Roles_OnlyFacilitatorsOpenAndReveal_ContributorsRecord_ViewersRead(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        var viewer = await app.SignedInAsync(t.Org[MemberRole.Viewer]);

        var aliceIndex = await t.Alice.GetPageAsync(Index(t));
        Assert.Null(aliceIndex.Find("#open-all"));
        var forged = await t.Alice.PostAsync(
            $"{Index(t)}?handler=Open",
            new FormUrlEncodedContent([
                new("__RequestVerificationToken", aliceIndex.AntiforgeryToken!),
            ])
        );
        Assert.Equal("/account/access-denied", forged.LocationPath());

        await OpenAllAsync(t);
        var aliceCell = await t.Alice.GetPageAsync(Cell(t));
        Assert.Null(aliceCell.Find("#reveal"));
        var reveal = await t.Alice.PostAsync(
            $"{Cell(t)}?handler=Reveal",
            new FormUrlEncodedContent([
                new("__RequestVerificationToken", aliceCell.AntiforgeryToken!),
            ])
        );
        Assert.Equal("/account/access-denied", reveal.LocationPath());

        var viewerCell = await viewer.GetPageAsync(Cell(t));
        Assert.Null(viewerCell.Find("#save-views"));

        // Once revealed, nobody's view can change.
        await RecordAsync(t.Alice, t, Position.Addressed, "Before the reveal");
        await RevealAsync(t);
        var after = await t.Alice.PostAsync(
            $"{Cell(t)}?handler=Views",
            new FormUrlEncodedContent([
                new("__RequestVerificationToken", aliceCell.AntiforgeryToken!),
                new("Views[0].Position", "Concern"),
            ])
        );
        Assert.Equal("/account/access-denied", after.LocationPath());
        var view = await app.QueryAsync(
            d => d.IndividualViews.SingleAsync(v => v.ItemId == FirstItem),
            t.Org.Id
        );
        Assert.Equal(Position.Addressed, view.Position);
    }

    [Theory, BothDatabases]
    public async Task AnotherOrganisation_GetsNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var stranger = await app.SignedInAsync(other.Owner);

        await stranger.GetPageAsync(Index(t), HttpStatusCode.NotFound);
        await stranger.GetPageAsync(Cell(t), HttpStatusCode.NotFound);
        await stranger.GetPageAsync(
            $"/reviews/{t.Review.Id}/items/{FirstItem}/discussion",
            HttpStatusCode.NotFound
        );
    }

    [Theory, BothDatabases]
    public async Task Reflection_IsAudited(Db db)
    {
        await using var app = new TestApp(db);
        var t = await TeamAsync(app);
        await OpenAllAsync(t);
        await RecordAsync(t.Alice, t, Position.Concern, "A worry");
        await RevealAsync(t);

        var audit = await app.AuditAsync(t.Org.Id);
        // Opening every cell is one action: one row, naming the cells.
        var opened = Assert.Single(audit, e => e.Action == "reflection.opened");
        Assert.StartsWith("12 cells opened", opened.Detail, StringComparison.Ordinal);
        Assert.Single(
            audit,
            e => e.Action == "reflection.view-saved" && e.ActorUserId == t.AliceUser.Id
        );
        Assert.Single(audit, e => e.Action == "reflection.revealed");
    }

    [Fact]
    public void Spread_ScoresDistanceBetweenViews_AndMarksAddressedAgainstConcern()
    {
        var agree = Spread.Of([Position.Addressed, Position.Addressed, Position.Addressed]);
        Assert.Equal(0, agree.Score);
        Assert.False(agree.ViewsDiffer);

        var split = Spread.Of([
            Position.Addressed,
            Position.Addressed,
            Position.Concern,
            Position.Concern,
        ]);
        var near = Spread.Of([Position.Addressed, Position.PartlyAddressed]);
        Assert.True(split.ViewsDiffer);
        Assert.False(near.ViewsDiffer);
        Assert.True(split.Score > near.Score);
        Assert.Equal(2, split[Position.Concern]);

        // "Not applicable" counts in the spread but not in the distance.
        var withNotApplicable = Spread.Of([Position.Addressed, Position.NotApplicable]);
        Assert.Equal(2, withNotApplicable.Total);
        Assert.Equal(0, withNotApplicable.Score);
    }
}
