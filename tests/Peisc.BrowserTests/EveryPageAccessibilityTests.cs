using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>trust.md X1: axe finds nothing on any page of the app, signed out and signed in as each role.</summary>
public sealed class EveryPageAccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task PublicPages_SignedOut_HaveNoAxeViolations()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        var forNewPerson = await App.InviteAsync(
            organisation,
            "new.person@example.org",
            MemberRole.Viewer
        );
        var forExistingAccount = await App.InviteAsync(
            organisation,
            (await App.CreateOrganisationAsync(roles: MemberRole.Owner)).Owner.Email,
            MemberRole.Viewer
        );
        var audit = new PageAudit(page);

        await audit.VisitAsync("/");
        await audit.VisitAsync("/framework");
        await audit.VisitAsync("/framework/overarching/innovation");
        await audit.VisitAsync("/framework/overarching/process");
        await audit.VisitAsync("/framework/human-rights/process");
        await audit.VisitAsync("/framework/professional-integrity/outcomes");
        await audit.VisitAsync("/framework/stages");
        await audit.VisitAsync("/framework/print");
        await audit.VisitAsync("/accessibility");
        await audit.VisitAsync("/privacy");
        await audit.VisitAsync("/account/sign-in");
        await audit.VisitAsync("/account/signed-out");
        await audit.VisitAsync("/framework/no-such-section/innovation", 404);
        await audit.VisitAsync("/setup", 404);
        await audit.VisitAsync("/error/500", 500);
        await audit.VisitAsync("/error/400", 400);
        await audit.VisitAsync("/invitations/not-a-real-token", 404);
        await audit.VisitAsync(forNewPerson);
        await audit.VisitAsync(forExistingAccount);

        // The error state of the sign-in form.
        await page.GotoAsync("/account/sign-in");
        await page.ClickButtonAsync("Sign in");
        await page.ErrorSummaryAsync();
        await audit.ScanAsync();

        audit.AssertClean();
    }

    [Theory]
    [InlineData(MemberRole.Owner)]
    [InlineData(MemberRole.Facilitator)]
    [InlineData(MemberRole.Contributor)]
    [InlineData(MemberRole.Viewer)]
    public async Task SignedInPages_EachRole_HaveNoAxeViolations(MemberRole role)
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync();
        var person = organisation[role];
        // A second organisation, so the switch page has a choice to offer.
        var other = await App.CreateOrganisationAsync(roles: MemberRole.Owner);
        await App.AddMemberAsync(other.Id, MemberRole.Viewer, person.Email);
        var editionId = await App.UploadEditionAsync(organisation);
        var someoneElse = organisation[
            role == MemberRole.Viewer ? MemberRole.Contributor : MemberRole.Viewer
        ];
        var invitation = await App.InviteAsync(
            organisation,
            "invitee@example.org",
            MemberRole.Viewer
        );
        var audit = new PageAudit(page);

        await page.SignInAsync(person.Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");
        await Expect(page.Locator("#your-role")).ToHaveTextAsync(role.ToString());

        // Owner-only pages answer everyone else with the access-denied page: scan what they see.
        var ownerOnly = role == MemberRole.Owner ? 200 : 403;
        await audit.VisitAsync("/");
        await audit.VisitAsync("/framework");
        await audit.VisitAsync("/organisation");
        await audit.VisitAsync("/organisation/members");
        await audit.VisitAsync("/organisation/members/invite", ownerOnly);
        await audit.VisitAsync($"/organisation/members/{someoneElse.MembershipId}", ownerOnly);
        await audit.VisitAsync("/organisation/settings", ownerOnly);
        await audit.VisitAsync("/organisation/editions");
        await audit.VisitAsync($"/organisation/editions/{editionId}");
        await audit.VisitAsync("/organisation/audit", ownerOnly);
        await audit.VisitAsync("/organisation/switch");
        await audit.VisitAsync("/account/two-factor");
        await audit.VisitAsync("/account/tokens");
        await audit.VisitAsync("/account/notifications");
        // Deliberation, with one cell open for reflection, as each role sees it.
        var review = await App.CreateReviewAsync(organisation, "Reflection pages");
        await audit.VisitAsync($"/reviews/{review.Id}/reflection");
        await audit.VisitAsync($"/reviews/{review.Id}/reflection/social-justice/outcomes");
        await audit.VisitAsync($"/reviews/{review.Id}/items/social-justice.outcomes.1/discussion");
        await audit.VisitAsync("/account/sign-out");
        await audit.VisitAsync("/account/access-denied", 403);
        await audit.VisitAsync("/no-such-page", 404);
        await audit.VisitAsync(
            "/organisation/members/00000000-0000-0000-0000-000000000000",
            role == MemberRole.Owner ? 404 : 403
        );
        // Signed in as someone else than the invitation was for.
        await audit.VisitAsync(invitation);

        audit.AssertClean();
    }

    [Fact]
    public async Task OwnerForms_ErrorAndSuccessStates_HaveNoAxeViolations()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync();
        var audit = new PageAudit(page);
        await page.SignInAsync(organisation.Owner.Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        // Invite: empty, then a malformed address, then sent (the success banner on the members page).
        await page.GotoAsync("/organisation/members/invite");
        await page.ClickButtonAsync("Send invitation");
        Assert.Equal(2, (await page.ErrorSummaryAsync()).Count);
        await audit.ScanAsync();
        await page.FillFieldAsync("Email address", "not an email address");
        await page.CheckRadioAsync("Viewer");
        await page.ClickButtonAsync("Send invitation");
        Assert.Equal(
            ["Enter an email address in the correct format, like name@example.org"],
            await page.ErrorSummaryAsync()
        );
        await audit.ScanAsync();
        await page.FillFieldAsync("Email address", "robin@example.org");
        await page.ClickButtonAsync("Send invitation");
        await Expect(page.Locator(".govuk-notification-banner")).ToBeVisibleAsync();
        await audit.ScanAsync();

        // Settings: an empty name, then saved.
        await page.GotoAsync("/organisation/settings");
        await page.FillFieldAsync("Organisation name", "");
        await page.ClickButtonAsync("Save settings");
        Assert.Equal(["Enter the name of your organisation"], await page.ErrorSummaryAsync());
        await audit.ScanAsync();
        await page.FillFieldAsync("Organisation name", "Northshire adult social care");
        await page.ClickButtonAsync("Save settings");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("Settings saved");
        await audit.ScanAsync();

        // A member: removing without ticking the box.
        await page.GotoAsync(
            $"/organisation/members/{organisation[MemberRole.Viewer].MembershipId}"
        );
        await page.ClickButtonAsync("Remove member");
        Assert.Equal(
            ["Tick the box to confirm that you want to remove this member"],
            await page.ErrorSummaryAsync()
        );
        await audit.ScanAsync();

        // Editions: no file, a file with problems (listed in the summary), then a good file.
        await page.GotoAsync("/organisation/editions");
        await page.ClickButtonAsync("Upload and check");
        Assert.Equal(["Select a framework file"], await page.ErrorSummaryAsync());
        await audit.ScanAsync();
        await page.GetByLabel("Framework file")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "broken.json",
                    MimeType = "application/json",
                    Buffer = "{\"formatVersion\": 1, \"id\": \"Not A Valid Id\"}"u8.ToArray(),
                }
            );
        await page.ClickButtonAsync("Upload and check");
        await Expect(page.Locator("#edition-problems li").First).ToBeVisibleAsync();
        await audit.ScanAsync();
        await page.GetByLabel("Framework file")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "northshire.json",
                    MimeType = "application/json",
                    Buffer = System.Text.Encoding.UTF8.GetBytes(Seeding.CustomEditionJson()),
                }
            );
        await page.ClickButtonAsync("Upload and check");
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("added");
        await audit.ScanAsync();

        // The uploaded edition: deleting without ticking the box.
        await page.ClickLinkAsync(Seeding.CustomEditionTitle);
        await page.ExpectHeadingAsync(Seeding.CustomEditionTitle);
        await page.ClickButtonAsync("Delete edition");
        Assert.Equal(
            ["Tick the box to confirm that you want to delete this edition"],
            await page.ErrorSummaryAsync()
        );
        await audit.ScanAsync();

        audit.AssertClean();
        Assert.True(audit.Scanned >= 10);
    }
}
