using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed partial class InvitationTests
{
    private static async Task<string> InviteAsync(
        TestApp app,
        HttpClient owner,
        string email,
        MemberRole role
    )
    {
        var page = await owner.GetPageAsync("/organisation/members/invite");
        var done = await owner.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Role"] = role.ToString(),
            }
        );
        Assert.Equal("/organisation/members", done.Url.AbsolutePath);
        Assert.Contains($"Invitation sent to {email}", done.Text, StringComparison.Ordinal);
        return LinkFromMail(app, email);
    }

    /// <summary>Reads the invitation link from the email written to the development pickup folder.</summary>
    internal static string LinkFromMail(TestApp app, string email)
    {
        var message = Directory
            .GetFiles(app.MailDirectory, "*.eml")
            .Select(File.ReadAllText)
            .Last(m => m.Contains(email, StringComparison.OrdinalIgnoreCase));
        return new Uri(InvitationLink().Match(message).Value).PathAndQuery;
    }

    [Theory, BothDatabases]
    public async Task Invitation_NewPerson_CreatesAccountJoinsWithRoleAndCanSignInAgain(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var owner = await app.SignedInAsync(org.Owner);
        var link = await InviteAsync(
            app,
            owner,
            "new.colleague@example.org",
            MemberRole.Contributor
        );

        var invitee = app.Browser();
        var page = await invitee.GetPageAsync(link);
        Assert.Equal($"Join {org.Name}", page.Heading);
        var joined = await invitee.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Name"] = "Nia Colleague",
                ["Input.Password"] = "a fresh pass phrase",
            }
        );

        Assert.Equal("/organisation", joined.Url.AbsolutePath);
        Assert.Equal("Contributor", joined.Find("#your-role")?.TextContent.Trim());
        var again = app.Browser();
        await again.SignInAsync("new.colleague@example.org", "a fresh pass phrase");
        Assert.Equal(
            "Contributor",
            (await again.GetPageAsync("/organisation")).Find("#your-role")?.TextContent.Trim()
        );
        var members = await owner.GetPageAsync("/organisation/members");
        Assert.Contains("Nia Colleague", members.Text, StringComparison.Ordinal);
        var audit = await app.AuditAsync(org.Id);
        Assert.Contains(audit, e => e.Action == "membership.invited");
        Assert.Contains(
            audit,
            e =>
                e.Action == "membership.joined"
                && e.Detail!.Contains("new.colleague@example.org", StringComparison.Ordinal)
        );
    }

    [Theory, BothDatabases]
    public async Task Invitation_UsedTwice_IsRefusedTheSecondTime(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var link = await InviteAsync(
            app,
            await app.SignedInAsync(org.Owner),
            "once@example.org",
            MemberRole.Viewer
        );
        var invitee = app.Browser();
        var page = await invitee.GetPageAsync(link);
        await invitee.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Name"] = "Once",
                ["Input.Password"] = "a fresh pass phrase",
            }
        );

        var second = await app.Browser().GetPageAsync(link, HttpStatusCode.NotFound);

        Assert.Equal("This invitation cannot be used", second.Heading);
    }

    [Theory, BothDatabases]
    public async Task Invitation_Expired_ShowsAClearPage(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var link = await InviteAsync(
            app,
            await app.SignedInAsync(org.Owner),
            "late@example.org",
            MemberRole.Viewer
        );

        clock.Advance(TimeSpan.FromDays(8));
        var page = await app.Browser().GetPageAsync(link, HttpStatusCode.NotFound);

        Assert.Equal("This invitation cannot be used", page.Heading);
        Assert.Null(page.Find("form"));
    }

    [Theory, BothDatabases]
    public async Task Invitation_Cancelled_CannotBeUsed(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var owner = await app.SignedInAsync(org.Owner);
        var link = await InviteAsync(app, owner, "cancelled@example.org", MemberRole.Viewer);

        var members = await owner.GetPageAsync("/organisation/members");
        var done = await owner.SubmitAndFollowAsync(
            members,
            formSelector: "form[action*='Revoke']"
        );
        Assert.Contains(
            "Invitation for cancelled@example.org cancelled",
            done.Text,
            StringComparison.Ordinal
        );

        var page = await app.Browser().GetPageAsync(link, HttpStatusCode.NotFound);
        Assert.Equal("This invitation cannot be used", page.Heading);
    }

    [Theory, BothDatabases]
    public async Task Invitation_ExistingAccountInAnotherOrganisation_JoinsAfterSigningInAndCanSwitch(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha Trust", roles: [MemberRole.Owner]);
        var b = await app.CreateOrganisationAsync(
            "Beta Council",
            roles: [MemberRole.Owner, MemberRole.Facilitator]
        );
        var person = b[MemberRole.Facilitator];
        var link = await InviteAsync(
            app,
            await app.SignedInAsync(a.Owner),
            person.Email,
            MemberRole.Viewer
        );

        var client = app.Browser();
        var page = await client.GetPageAsync(link);
        Assert.NotNull(page.Find($"a[href^='/account/sign-in?returnUrl=']"));
        await client.SignInAsync(person.Email);
        page = await client.GetPageAsync(link);
        var joined = await client.SubmitAndFollowAsync(page);
        Assert.Contains("Alpha Trust", joined.Heading, StringComparison.Ordinal);
        Assert.Equal("Viewer", joined.Find("#your-role")?.TextContent.Trim());

        var switchPage = await client.GetPageAsync("/organisation/switch");
        var switched = await client.SubmitAndFollowAsync(
            switchPage,
            new Dictionary<string, string> { ["OrganisationId"] = b.Id.ToString() }
        );
        Assert.Contains("Beta Council", switched.Heading, StringComparison.Ordinal);
        Assert.Equal("Facilitator", switched.Find("#your-role")?.TextContent.Trim());
        var members = await client.GetPageAsync("/organisation/members");
        Assert.DoesNotContain(a.Owner.Email, members.Text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Switch_ToAnOrganisationThePersonIsNotIn_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var b = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(a.Owner);

        var page = await client.GetPageAsync("/organisation/switch");
        var result = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string> { ["OrganisationId"] = b.Id.ToString() }
            ),
            page.Url
        );

        Assert.Contains("Select an organisation", result.ErrorSummary);
        Assert.Contains(
            a.Name,
            (await client.GetPageAsync("/organisation")).Heading,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Invite_ByNonOwner_IsDenied(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Facilitator]
        );
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);

        var response = await client.GetAsync("/organisation/members/invite");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(
            "/account/access-denied",
            response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Invite_InvalidEmail_KeepsWhatWasTypedAndSendsNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var owner = await app.SignedInAsync(org.Owner);
        var page = await owner.GetPageAsync("/organisation/members/invite");

        var result = await Html.ToPageAsync(
            await owner.SubmitAsync(
                page,
                new Dictionary<string, string> { ["Input.Email"] = "not-an-email" }
            ),
            page.Url
        );

        Assert.Contains(
            "Enter an email address in the correct format, like name@example.org",
            result.ErrorSummary
        );
        Assert.Contains("Select a role", result.ErrorSummary);
        Assert.Equal("not-an-email", result.Find("#Input_Email")?.GetAttribute("value"));
        Assert.Equal(0, await app.QueryAsync(d => d.Invitations.CountAsync(), org.Id));
    }

    [GeneratedRegex(@"https?://[^\s]+/invitations/[A-Za-z0-9_-]+")]
    private static partial Regex InvitationLink();
}
