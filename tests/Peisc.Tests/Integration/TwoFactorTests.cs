using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class TwoFactorTests
{
    /// <summary>Turns on two-factor through the page, as a person would; returns the key and recovery codes.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> EnableAsync(
        HttpClient client
    )
    {
        var page = await client.OpenTwoFactorSetUpAsync();
        var key = page.Find("#authenticator-key")!.TextContent.Trim();
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }
        );
        var done = await Html.ToPageAsync(response, page.Url);
        Assert.Contains("Two-factor sign-in is on", done.Text, StringComparison.Ordinal);
        return (
            key,
            done.FindAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList()
        );
    }

    private static async Task<HttpResponseMessage> PasswordStepAsync(
        HttpClient client,
        string email
    )
    {
        var page = await client.GetPageAsync("/account/sign-in");
        return await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = TestApp.Password,
            }
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_WithTwoFactorOn_AsksForTheCodeAndAcceptsOnlyTheRightOne(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var user = org[MemberRole.Facilitator];
        var (key, _) = await EnableAsync(await app.SignedInAsync(user));

        var client = app.Browser();
        var step = await PasswordStepAsync(client, user.Email);
        Assert.Equal(HttpStatusCode.Redirect, step.StatusCode);
        Assert.StartsWith(
            "/account/sign-in/two-factor",
            step.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/organisation")).StatusCode);

        var codePage = await client.GetPageAsync("/account/sign-in/two-factor");
        var wrong = await Html.ToPageAsync(
            await client.SubmitAsync(
                codePage,
                new Dictionary<string, string>
                {
                    ["Input.Code"] = "000000" == Totp.Code(key) ? "111111" : "000000",
                }
            ),
            codePage.Url
        );
        Assert.Contains(
            "The security code is not correct: check your authenticator app and try again",
            wrong.ErrorSummary
        );

        var right = await client.SubmitAsync(
            wrong,
            new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }
        );
        Assert.Equal("/organisation", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/organisation")).StatusCode);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == "two-factor.enabled" && e.ActorUserId == user.Id
        );
    }

    [Theory, BothDatabases]
    public async Task SignIn_RecoveryCode_WorksOnce(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var user = org[MemberRole.Viewer];
        var (_, codes) = await EnableAsync(await app.SignedInAsync(user));
        Assert.Equal(10, codes.Count);

        var first = app.Browser();
        await PasswordStepAsync(first, user.Email);
        var page = await first.GetPageAsync("/account/sign-in/two-factor");
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await first.SubmitAsync(
                    page,
                    new Dictionary<string, string> { ["Input.Code"] = codes[0] }
                )
            ).StatusCode
        );

        var second = app.Browser();
        await PasswordStepAsync(second, user.Email);
        page = await second.GetPageAsync("/account/sign-in/two-factor");
        var reused = await Html.ToPageAsync(
            await second.SubmitAsync(
                page,
                new Dictionary<string, string> { ["Input.Code"] = codes[0] }
            ),
            page.Url
        );
        Assert.Equal(HttpStatusCode.OK, reused.Status);
        Assert.NotEmpty(reused.ErrorSummary);
    }

    // The same person pressing "set up" in several tabs at once: Identity refuses all but one
    // save of their account (a stale concurrency stamp); that must never become a server error,
    // and each key actually issued is audited once.
    [Theory, BothDatabases]
    public async Task Start_FromManyTabsAtOnce_NeverFailsAndAuditsEachKeyIssued(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var viewer = org[MemberRole.Viewer];
        var client = await app.SignedInAsync(viewer);
        var page = await client.GetPageAsync("/account/two-factor");

        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 12)
                .Select(_ => client.SubmitAsync(page, formSelector: "form[action*='Start']"))
        );

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var issued = (await app.AuditAsync()).Count(e =>
            e.Action == Peisc.Web.Accounts.AuditActions.TwoFactorKeyIssued
            && e.ActorUserId == viewer.Id
        );
        Assert.InRange(issued, 1, 12);
        // The key on the page is the one saved last: it is the one an authenticator app would get.
        var shown = (await client.GetPageAsync("/account/two-factor"))
            .Find("#authenticator-key")!
            .TextContent.Trim()
            .Replace(" ", "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(shown));
    }

    [Theory, BothDatabases]
    public async Task Enable_WrongCode_ShowsErrorAndLeavesTwoFactorOff(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var page = await client.OpenTwoFactorSetUpAsync();

        var result = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string> { ["Input.Code"] = "12345x" }
            ),
            page.Url
        );

        Assert.Contains(
            "The security code is not correct: check your authenticator app and try again",
            result.ErrorSummary
        );
        Assert.False(
            await app.QueryAsync(d =>
                d.Users.Where(u => u.Id == org[MemberRole.Viewer].Id)
                    .Select(u => u.TwoFactorEnabled)
                    .SingleAsync()
            )
        );
    }

    [Theory, BothDatabases]
    public async Task Owner_WhenOwnersMustUseTwoFactor_CanDoNothingElseUntilItIsOn(Db db)
    {
        await using var app = new TestApp(
            db,
            new Dictionary<string, string?> { ["Security:RequireTwoFactorForOwners"] = "true" }
        );
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner, MemberRole.Viewer]);
        var owner = await app.SignedInAsync(org.Owner);
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);

        var blocked = await owner.GetAsync("/organisation/members");
        Assert.Equal("/account/two-factor", blocked.Headers.Location?.OriginalString);
        Assert.Equal(
            HttpStatusCode.OK,
            (await viewer.GetAsync("/organisation/members")).StatusCode
        );

        await EnableAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/organisation/members")).StatusCode);
        var page = await owner.GetPageAsync("/account/two-factor");
        Assert.Null(page.Find("form[action*='Disable']"));
    }

    [Theory, BothDatabases]
    public async Task Organisation_RequiringTwoFactorOfEveryone_SendsMembersToSetItUp(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            configure: o => o.RequireTwoFactor = true,
            roles: [MemberRole.Contributor]
        );
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);

        var response = await client.GetAsync("/organisation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/two-factor", response.Headers.Location?.OriginalString);
    }

    [Theory, BothDatabases]
    public async Task Disable_WhenNotRequired_TurnsTwoFactorOff(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Viewer]);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        await EnableAsync(client);

        var page = await client.GetPageAsync("/account/two-factor");
        await client.SubmitAsync(page, formSelector: "form[action*='Disable']");

        Assert.False(
            await app.QueryAsync(d =>
                d.Users.Where(u => u.Id == org[MemberRole.Viewer].Id)
                    .Select(u => u.TwoFactorEnabled)
                    .SingleAsync()
            )
        );
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "two-factor.disabled");
    }
}
