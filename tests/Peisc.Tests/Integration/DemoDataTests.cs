using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Demo;

namespace Peisc.Tests.Integration;

public sealed class DemoDataTests
{
    private static readonly Dictionary<string, string?> Demo = new()
    {
        ["Demo:Enabled"] = "true",
        // The demo switch itself turns off two-factor for owners; this proves it does.
        ["Security:RequireTwoFactorForOwners"] = "true",
    };

    [Theory, BothDatabases]
    public async Task DemoSwitch_On_SeedsAnOrganisationWithEveryRole(Db db)
    {
        await using var app = new TestApp(db, Demo);

        var memberships = await app.QueryAsync(d =>
            d.Memberships.IgnoreQueryFilters()
                .Include(m => m.User)
                .Include(m => m.Organisation)
                .ToListAsync()
        );

        Assert.Equal(4, memberships.Count);
        Assert.All(memberships, m => Assert.Equal(DemoData.OrganisationName, m.Organisation!.Name));
        Assert.Equal(
            [MemberRole.Viewer, MemberRole.Contributor, MemberRole.Facilitator, MemberRole.Owner],
            memberships.Select(m => m.Role).Order()
        );
    }

    [Theory, BothDatabases]
    public async Task DemoOwner_SignsInWithPasswordAlone_AndSeesTheirOrganisation(Db db)
    {
        await using var app = new TestApp(db, Demo);
        var client = app.Browser();

        await client.SignInAsync($"owner@{DemoData.EmailDomain}", "demo-password-2026");
        var home = await client.GetPageAsync("/organisation");

        Assert.Contains(DemoData.OrganisationName, home.Heading, StringComparison.Ordinal);
        Assert.Equal("Owner", home.Find("#your-role")?.TextContent.Trim());
        Assert.Equal(
            HttpStatusCode.OK,
            (await client.GetAsync("/organisation/settings")).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task DemoSwitch_On_SeedsASampleReviewWithTwoRoundsAnswersAndActions(Db db)
    {
        await using var app = new TestApp(db, Demo);
        var review = await app.QueryAsync(d => d.Reviews.IgnoreQueryFilters().SingleAsync());
        var rounds = await app.QueryAsync(d =>
            d.Rounds.IgnoreQueryFilters().OrderBy(r => r.Number).ToListAsync()
        );
        var client = app.Browser();
        await client.SignInAsync($"viewer@{DemoData.EmailDomain}", "demo-password-2026");

        Assert.Equal(["stage.2", "stage.3"], rounds.Select(r => r.StageId));
        Assert.NotNull(rounds[0].FrozenAt);
        Assert.Equal(rounds[1].Id, review.CurrentRoundId);
        Assert.True(review.ConsideredCount >= 10);
        Assert.True(review.ConcernCount >= 3);
        Assert.Equal(3, await app.QueryAsync(d => d.Actions.IgnoreQueryFilters().CountAsync()));
        var overview = await client.GetPageAsync($"/reviews/{review.Id}");
        Assert.Contains(
            "Family group conferencing at the edge of care",
            overview.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Testing (round 2)",
            overview.Find("#current-stage")!.TextContent,
            StringComparison.Ordinal
        );
        // A revealed reflection where views differ, shown first on the reflection page.
        var reflection = await client.GetPageAsync($"/reviews/{review.Id}/reflection");
        Assert.Contains(
            "Views differ",
            reflection.Find("#most-divergent")!.TextContent,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task DemoSwitch_StartedTwiceOnTheSameDatabase_SeedsOnce()
    {
        var folder = Path.Combine(Path.GetTempPath(), "peisc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>(Demo)
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "demo.db")}",
        };

        await using (var first = new TestApp(Db.Sqlite, settings))
        {
            Assert.Equal(4, await first.QueryAsync(d => d.Users.CountAsync()));
        }
        await using var second = new TestApp(Db.Sqlite, settings);

        Assert.Equal(4, await second.QueryAsync(d => d.Users.CountAsync()));
        Assert.Equal(1, await second.QueryAsync(d => d.Organisations.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task DemoSwitch_Off_SeedsNothing(Db db)
    {
        await using var app = new TestApp(db);
        Assert.Equal(0, await app.QueryAsync(d => d.Users.CountAsync()));
    }
}
