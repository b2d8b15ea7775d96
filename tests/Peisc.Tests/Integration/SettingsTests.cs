using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Tests.Integration;

public sealed class SettingsTests
{
    private static readonly MemberRole[] NotOwners =
    [
        MemberRole.Facilitator,
        MemberRole.Contributor,
        MemberRole.Viewer,
    ];

    [Theory, BothDatabases]
    public async Task SaveSettings_OwnerRenamesAndRequiresTwoFactor_ShowsOnTheOrganisationPageAndIsAudited(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        // An owner who requires two-factor of everyone has it themselves, as production requires of owners.
        var codes = await app.EnableTwoFactorAsync(organisation.Owner);
        var owner = await app.SignedInWithTwoFactorAsync(organisation.Owner, codes[0]);
        var newName = "Renamed " + Guid.NewGuid().ToString("N")[..8];
        var settings = await owner.GetPageAsync("/organisation/settings");
        Assert.Equal(organisation.Name, settings.Find("#Input_Name")?.GetAttribute("value"));
        Assert.False(settings.Find("#Input_RequireTwoFactor")!.HasAttribute("checked"));

        var saved = await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string>
            {
                ["Input.Name"] = newName,
                ["Input.RequireTwoFactor"] = "true",
            }
        );

        Assert.Equal("/organisation/settings", saved.Url.AbsolutePath);
        Assert.Contains("Settings saved", saved.Text, StringComparison.Ordinal);
        Assert.Equal(newName, saved.Find("#Input_Name")?.GetAttribute("value"));
        Assert.True(saved.Find("#Input_RequireTwoFactor")!.HasAttribute("checked"));
        var home = await owner.GetPageAsync("/organisation");
        Assert.Equal(newName, home.Heading);
        Assert.Contains("Required of every member", home.Text, StringComparison.Ordinal);
        var updated = Assert.Single(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.OrganisationUpdated
        );
        Assert.Equal(organisation.Owner.Id, updated.ActorUserId);
        Assert.Contains(newName, updated.Detail, StringComparison.Ordinal);
        Assert.Contains("two-factor", updated.Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task SaveSettings_EmptyName_ShowsTheErrorAndKeepsWhatWasChosen(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var settings = await owner.GetPageAsync("/organisation/settings");

        var page = await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string>
            {
                ["Input.Name"] = "",
                ["Input.RequireTwoFactor"] = "true",
            }
        );

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["Enter the name of your organisation"], page.ErrorSummary);
        Assert.StartsWith("Error: ", page.Document.Title, StringComparison.Ordinal);
        Assert.Contains(
            "Enter the name of your organisation",
            page.Find("#Input_Name-error")?.TextContent,
            StringComparison.Ordinal
        );
        Assert.Equal("", page.Find("#Input_Name")?.GetAttribute("value"));
        Assert.True(page.Find("#Input_RequireTwoFactor")!.HasAttribute("checked"));
        await AssertUnchangedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task SaveSettings_NameTooLong_ShowsTheErrorWithWhatWasTyped(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var settings = await owner.GetPageAsync("/organisation/settings");
        var typed = "Northshire " + new string('n', 200);

        var page = await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.Name"] = typed }
        );

        Assert.Equal(["Organisation name must be 200 characters or fewer"], page.ErrorSummary);
        Assert.Equal(typed, page.Find("#Input_Name")?.GetAttribute("value"));
        await AssertUnchangedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task SettingsPage_NotAnOwner_IsDeniedForGetAndPostAndChangesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();

        foreach (var role in NotOwners)
        {
            var client = await app.SignedInAsync(organisation[role]);

            var get = await client.GetAsync("/organisation/settings");
            AssertAccessDenied(get, role);

            var home = await client.GetPageAsync("/organisation");
            Assert.Null(home.Find("a[href='/organisation/settings']"));
            // Their own valid token, from a page where they do have a form.
            var token = (await client.GetPageAsync("/organisation/switch")).AntiforgeryToken;
            Assert.NotNull(token);
            var post = await client.PostAsync(
                "/organisation/settings",
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["__RequestVerificationToken"] = token,
                        ["Input.Name"] = $"Taken over by a {role}",
                        ["Input.RequireTwoFactor"] = "true",
                        ["Input.DefaultEditionId"] = "peisc",
                    }
                )
            );
            AssertAccessDenied(post, role);
            var denied = await client.FollowAsync(post, new Uri(client.BaseAddress!, "/"));
            Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
            Assert.Equal("You cannot do this", denied.Heading);
        }
        await AssertUnchangedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task SignIn_TwoFactorRequiredOfEveryone_SendsAContributorToSetItUpUntilTheyDo(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var codes = await app.EnableTwoFactorAsync(organisation.Owner);
        var owner = await app.SignedInWithTwoFactorAsync(organisation.Owner, codes[0]);
        var settings = await owner.GetPageAsync("/organisation/settings");
        await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.RequireTwoFactor"] = "true" }
        );

        var contributor = await app.SignedInAsync(organisation[MemberRole.Contributor]);
        foreach (var url in new[] { "/organisation", "/organisation/members", "/" })
        {
            var response = await contributor.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/two-factor", response.LocationPath());
        }

        var setUp = await contributor.OpenTwoFactorSetUpAsync();
        Assert.Contains(
            "Your organisation requires two-factor sign-in for your role",
            setUp.Text,
            StringComparison.Ordinal
        );
        var key = setUp.Find("#authenticator-key")!.TextContent;
        var done = await contributor.SubmitAndFollowAsync(
            setUp,
            new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }
        );
        Assert.Empty(done.ErrorSummary);
        Assert.NotEmpty(done.FindAll("#recovery-codes li"));

        var home = await contributor.GetPageAsync("/organisation");
        Assert.Equal(organisation.Name, home.Heading);
    }

    private static void AssertAccessDenied(HttpResponseMessage response, MemberRole role)
    {
        Assert.True(
            response.StatusCode == HttpStatusCode.Redirect
                && response.LocationPath() == "/account/access-denied",
            $"{role}: expected a redirect to access denied, got {(int)response.StatusCode} {response.Headers.Location}"
        );
    }

    private static async Task AssertUnchangedAsync(TestApp app, TestOrganisation organisation)
    {
        var stored = await app.QueryAsync(
            d => d.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisation.Id),
            organisation.Id
        );
        Assert.Equal(organisation.Name, stored.Name);
        Assert.False(stored.RequireTwoFactor);
        Assert.Equal(FrameworkCatalog.DefaultEditionId, stored.DefaultEditionId);
        Assert.DoesNotContain(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.OrganisationUpdated
        );
    }
}
