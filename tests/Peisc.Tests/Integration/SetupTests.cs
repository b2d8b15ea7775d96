using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class SetupTests
{
    private static Dictionary<string, string> Form(string password = "a long enough pass phrase") =>
        new()
        {
            ["Input.OrganisationName"] = "Northshire Council",
            ["Input.Name"] = "Sam Owner",
            ["Input.Email"] = "sam@northshire.example",
            ["Input.Password"] = password,
        };

    [Theory, BothDatabases]
    public async Task StartPage_NoUsersYet_LeadsToSetUp(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.OriginalString);
    }

    [Theory, BothDatabases]
    public async Task SetUp_ValidForm_CreatesOrganisationAndOwnerAndSignsIn(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        var page = await client.GetPageAsync("/setup");

        var landed = await client.SubmitAndFollowAsync(page, Form());

        Assert.Equal("/organisation", landed.Url.AbsolutePath);
        Assert.Equal(
            "Northshire Council",
            landed.Heading.Replace("Your organisation ", "", StringComparison.Ordinal)
        );
        Assert.Equal("Owner", landed.Find("#your-role")?.TextContent.Trim());
        var membership = await app.QueryAsync(d =>
            d.Memberships.IgnoreQueryFilters().Include(m => m.User).SingleAsync()
        );
        Assert.Equal(MemberRole.Owner, membership.Role);
        Assert.Equal("sam@northshire.example", membership.User!.Email);
        Assert.Contains(
            await app.AuditAsync(membership.OrganisationId),
            e => e.Action == "organisation.created"
        );
    }

    [Theory, BothDatabases]
    public async Task SetUp_AfterFirstOwnerExists_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        var page = await client.GetPageAsync("/setup");
        await client.SubmitAsync(page, Form());

        var stranger = app.Browser();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/setup")).StatusCode);
        var replay = await stranger.SubmitAsync(page, Form());
        Assert.NotEqual(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal(1, await app.QueryAsync(d => d.Organisations.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task SetUp_MissingAndShortFields_ShowsErrorSummaryAndKeepsWhatWasTyped(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        var page = await client.GetPageAsync("/setup");

        var form = Form("too short");
        form["Input.Name"] = "";
        var result = await Html.ToPageAsync(await client.SubmitAsync(page, form), page.Url);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.StartsWith("Error: ", result.Document.Title, StringComparison.Ordinal);
        Assert.Contains("Enter your full name", result.ErrorSummary);
        Assert.Contains("Password must be 12 characters or more", result.ErrorSummary);
        Assert.Equal(
            "Northshire Council",
            result.Find("#Input_OrganisationName")?.GetAttribute("value")
        );
        Assert.Equal("sam@northshire.example", result.Find("#Input_Email")?.GetAttribute("value"));
        Assert.Equal(
            "#Input_Name",
            result.Find(".govuk-error-summary__list a")?.GetAttribute("href")
        );
        Assert.Equal(0, await app.QueryAsync(d => d.Users.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task SetUp_CommonPassword_IsRefusedWithNothingCreated(Db db)
    {
        await using var app = new TestApp(db);
        var client = app.Browser();
        var page = await client.GetPageAsync("/setup");

        var result = await Html.ToPageAsync(
            await client.SubmitAsync(page, Form("password1234")),
            page.Url
        );

        Assert.Contains(
            result.ErrorSummary,
            m => m.Contains("too common", StringComparison.Ordinal)
        );
        Assert.Equal(0, await app.QueryAsync(d => d.Users.CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Organisations.CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task SetUp_OwnersNeedTwoFactorByDefault_LeadsToTwoFactorSetUp(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?> { ["Security:RequireTwoFactorForOwners"] = "true" }
        );
        var client = app.Browser();
        var page = await client.GetPageAsync("/setup");
        await client.SubmitAsync(page, Form());

        var response = await client.GetAsync("/organisation/members");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/two-factor", response.Headers.Location?.OriginalString);
        var twoFactor = await client.GetPageAsync("/account/two-factor");
        Assert.Contains("requires two-factor sign-in", twoFactor.Text, StringComparison.Ordinal);
    }
}
