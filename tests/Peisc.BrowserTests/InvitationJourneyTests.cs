using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

public sealed class InvitationJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string MemberEmail = "casey.contributor@example.org";
    private const string MemberPassword = "kettle on the windowsill at noon";

    // On both databases: this journey writes invitations, accounts, memberships, sessions and audit rows.
    [Theory]
    [BothDatabases]
    public async Task Invite_ContributorAcceptsInNewBrowser_JoinsAndCanSignInAgain(Db provider)
    {
        var owner = await StartAppAsync(provider: provider);
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Owner);

        await owner.SignInAsync(organisation.Owner.Email, TestApp.Password);
        await owner.ExpectHeadingAsync(organisation.Name);
        await owner.ClickLinkAsync("Members and invitations");
        await owner.ExpectHeadingAsync("Members");
        await owner.ClickLinkAsync("Invite a member");
        await owner.ExpectHeadingAsync("Invite a member");
        await owner.FillFieldAsync("Email address", MemberEmail);
        await owner.CheckRadioAsync("Contributor");
        await owner.ClickButtonAsync("Send invitation");

        await owner.ExpectPathAsync("/organisation/members");
        await Expect(owner.Locator(".govuk-notification-banner"))
            .ToContainTextAsync($"Invitation sent to {MemberEmail}");
        var waiting = owner.GetByRole(
            AriaRole.Table,
            new() { Name = "Invitations waiting to be accepted" }
        );
        await Expect(waiting).ToContainTextAsync(MemberEmail);
        await owner.AssertAccessibleAsync();

        var email = await Mailbox.NewestAsync(App.MailDirectory);
        Assert.Equal(MemberEmail, email.To.Mailboxes.Single().Address);
        var link = Mailbox.InvitationPath(email);

        // The invitee opens the link in their own browser: no cookies from the owner's session.
        var invitee = await NewPageAsync();
        await invitee.GoToAsync(link);
        await invitee.ExpectHeadingAsync($"Join {organisation.Name}");
        await Expect(invitee.Locator("main")).ToContainTextAsync(MemberEmail);
        await invitee.ClickButtonAsync("Create account and join");
        await invitee.ErrorSummaryAsync();
        await invitee.AssertAccessibleAsync();
        await invitee.FillFieldAsync("Your full name", "Casey Contributor");
        await invitee.FillFieldAsync("Create a password", MemberPassword);
        await invitee.ClickButtonAsync("Create account and join");

        await invitee.ExpectPathAsync("/organisation");
        await invitee.ExpectHeadingAsync(organisation.Name);
        await Expect(invitee.Locator("#your-role")).ToHaveTextAsync("Contributor");
        await invitee.SignOutAsync();

        // The link works once.
        await invitee.GoToAsync(link, status: 404);
        await invitee.ExpectHeadingAsync("This invitation cannot be used");

        await invitee.SignInAsync(MemberEmail, MemberPassword);
        await invitee.ExpectPathAsync("/organisation");
        await Expect(invitee.Locator("#your-role")).ToHaveTextAsync("Contributor");

        await owner.ReloadAsync();
        var members = owner.GetByRole(AriaRole.Table, new() { Name = "2 members" });
        await Expect(
                members.GetByRole(AriaRole.Row).Filter(new() { HasText = "Casey Contributor" })
            )
            .ToContainTextAsync([MemberEmail]);
        await Expect(
                members.GetByRole(AriaRole.Row).Filter(new() { HasText = "Casey Contributor" })
            )
            .ToContainTextAsync("Contributor");
        await Expect(waiting).ToHaveCountAsync(0);
        await owner.AssertAccessibleAsync();
    }
}
