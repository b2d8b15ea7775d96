using System.Net;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class AuditTrailTests
{
    [Theory, BothDatabases]
    public async Task AuditPage_Owner_ListsTheirOrganisationsSignInsAndNoOtherOrganisations(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var aOwner = await AddPersonAsync(app, a, MemberRole.Owner, "Alpha Owner");
        var aViewer = await AddPersonAsync(app, a, MemberRole.Viewer, "Alpha Viewer");
        var b = await app.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var bOwner = await AddPersonAsync(app, b, MemberRole.Owner, "Bravo Owner");
        var bViewer = await AddPersonAsync(app, b, MemberRole.Viewer, "Bravo Viewer");
        var canary = "CANARY-B-" + Guid.NewGuid().ToString("N");

        // B's trail gets a sign-in, a failed sign-in and a change that carries a marker.
        var bClient = await app.SignedInAsync(bOwner);
        await FailToSignInAsync(app, bOwner.Email);
        var bSettings = await bClient.GetPageAsync("/organisation/settings");
        await bClient.SubmitAndFollowAsync(
            bSettings,
            new Dictionary<string, string> { ["Input.Name"] = canary }
        );
        await app.SignedInAsync(bViewer);
        await app.SignedInAsync(aViewer);
        var aClient = await app.SignedInAsync(aOwner);

        var page = await aClient.GetPageAsync("/organisation/audit");

        Assert.Equal("Audit trail", page.Heading);
        var rows = Rows(page);
        Assert.Contains(rows, r => r.Who == aOwner.Name && r.What == AuditActions.SignedIn);
        Assert.Contains(rows, r => r.Who == aViewer.Name && r.What == AuditActions.SignedIn);
        var text = page.Document.DocumentElement.OuterHtml;
        foreach (
            var foreign in new[]
            {
                bOwner.Email,
                bOwner.Name,
                bViewer.Email,
                bViewer.Name,
                canary,
                b.Name,
            }
        )
        {
            Assert.DoesNotContain(foreign, text, StringComparison.Ordinal);
        }
        Assert.Equal((await app.AuditAsync(a.Id)).Count, rows.Count);
    }

    [Theory, BothDatabases]
    public async Task AuditPage_OtherOrganisationsOwner_SeesOnlyTheirOwnTrail(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var aOwner = await AddPersonAsync(app, a, MemberRole.Owner, "Alpha Owner");
        var b = await app.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var bOwner = await AddPersonAsync(app, b, MemberRole.Owner, "Bravo Owner");
        await app.SignedInAsync(aOwner);
        await FailToSignInAsync(app, aOwner.Email);
        var bClient = await app.SignedInAsync(bOwner);

        var page = await bClient.GetPageAsync("/organisation/audit");

        var rows = Rows(page);
        Assert.Contains(rows, r => r.Who == bOwner.Name && r.What == AuditActions.SignedIn);
        Assert.DoesNotContain(aOwner.Name, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(aOwner.Email, page.Text, StringComparison.Ordinal);
        Assert.Equal((await app.AuditAsync(b.Id)).Count, rows.Count);
    }

    [Theory, BothDatabases]
    public async Task AuditPage_NotAnOwner_IsDenied(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();

        foreach (
            var role in new[] { MemberRole.Facilitator, MemberRole.Contributor, MemberRole.Viewer }
        )
        {
            var client = await app.SignedInAsync(organisation[role]);

            var response = await client.GetAsync("/organisation/audit");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/access-denied", response.LocationPath());
        }
    }

    [Theory, BothDatabases]
    public async Task AuditPage_Anonymous_AsksToSignIn(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var response = await app.Browser().GetAsync("/organisation/audit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.LocationPath());
    }

    private sealed record Row(string When, string Who, string What, string Details);

    private static List<Row> Rows(Page page) =>
        page.FindAll("main table tbody tr")
            .Select(tr =>
                tr.QuerySelectorAll("td").Select(td => Page.Normalise(td.TextContent)).ToList()
            )
            .Select(c => new Row(c[0], c[1], c[2], c[3]))
            .ToList();

    // A person whose name and email appear nowhere else, so finding either on a page means their event leaked.
    private static Task<TestUser> AddPersonAsync(
        TestApp app,
        TestOrganisation organisation,
        MemberRole role,
        string name
    )
    {
        var unique = $"{name} {Guid.NewGuid():N}";
        return app.AddMemberAsync(
            organisation.Id,
            role,
            $"{unique.Replace(' ', '.').ToLowerInvariant()}@example.org",
            unique
        );
    }

    private static async Task FailToSignInAsync(TestApp app, string email)
    {
        var client = app.Browser();
        var page = await client.GetPageAsync("/account/sign-in");
        var failed = await client.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "not the right password at all",
            }
        );
        Assert.NotEmpty(failed.ErrorSummary);
    }
}
