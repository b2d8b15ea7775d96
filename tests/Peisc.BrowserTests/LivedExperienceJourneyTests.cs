using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>
/// A facilitator invites a carer to share their views; the carer, with no account, agrees, answers
/// and later withdraws; their words appear in the review in between. Revoked and expired links are
/// refused. Every page on the way, the invitee's included, is scanned with axe.
/// </summary>
public sealed class LivedExperienceJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string PublicName = "Breaks for carers at home";
    private const string Answer = "Ask carers what a break means to them before deciding for them.";
    private static readonly FrameworkEdition Edition = ReviewData.Peisc;
    private static readonly Item Item = Edition.FindCell("human-rights", "process")!.Items[0];

    [Fact]
    public async Task Journey_FacilitatorInvites_InviteeAgreesAnswersAndWithdraws_VoiceShownThenGone()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Owner]
        );
        var review = await App.CreateReviewAsync(organisation, "Carers' breaks review");
        await page.SignInAsync(organisation[MemberRole.Facilitator].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        // 1. The facilitator opens the review's Voices tab and invites carers.
        await page.GoToAsync($"/reviews/{review.Id}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Review" })
            .GetByRole(AriaRole.Link, new() { Name = "Voices", Exact = true })
            .ClickAsync();
        await page.ExpectHeadingAsync("Voices of people with lived experience");
        await page.ClickLinkAsync("Invite someone to share their views");
        await page.ExpectHeadingAsync("Invite someone to share their views");
        await page.ClickButtonAsync("Create the invitation");
        Assert.Equal(
            [
                "Select who you are inviting",
                "Enter the name of the innovation as the invitee will see it",
                "Choose at least one question to ask",
                "Enter whom to contact about safeguarding",
            ],
            await page.ErrorSummaryAsync()
        );
        await page.AssertAccessibleAsync();
        await page.CheckRadioAsync("Carers");
        await page.FillFieldAsync("Name of the innovation, as they will see it", PublicName);
        await page.GetByText(
                Edition.CellLabel(
                    Edition.FindSection("human-rights")!,
                    Edition.FindCell("human-rights", "process")!
                ),
                new() { Exact = true }
            )
            .ClickAsync();
        await page.CheckBoxAsync(Item.Text);
        await page.FillFieldAsync("Safeguarding contact", VoiceData.Safeguarding);
        await page.ClickButtonAsync("Create the invitation");
        await page.ExpectHeadingAsync("Invitation created");
        var link = new Uri(
            (await page.Locator("#invitation-link").InnerTextAsync()).Trim()
        ).AbsolutePath;

        // 2. The carer opens the link in a browser of their own, with no account.
        var invitee = await NewPageAsync();
        await invitee.GoToAsync(link);
        await invitee.ExpectHeadingAsync(PublicName);
        await invitee.ScreenshotAsync(
            new() { Path = Screenshots.PathFor("voices-invitee.png"), FullPage = true }
        );
        await Expect(invitee.Locator("#safeguarding")).ToContainTextAsync(VoiceData.Safeguarding);
        await Expect(invitee.Locator("#consent")).ToContainTextAsync("Taking part is your choice");
        await Expect(
                invitee.GetByText("Our plain-language adaptation of the framework's question.")
            )
            .ToBeVisibleAsync();
        await Expect(invitee.GetByText("Carers' breaks review")).ToHaveCountAsync(0);
        await Expect(invitee.GetByRole(AriaRole.Link, new() { Name = "Reviews" }))
            .ToHaveCountAsync(0);
        var question = invitee.GetByLabel(new Regex("^1\\. "));
        await question.FillAsync(Answer);
        await invitee.ClickButtonAsync("Send my answers");
        Assert.Equal(
            ["Tick the box to say you agree, if you want to take part"],
            await invitee.ErrorSummaryAsync()
        );
        await invitee.AssertAccessibleAsync();
        await Expect(question).ToHaveValueAsync(Answer);
        await invitee.CheckBoxAsync("I have read this and I agree to take part");
        await invitee.ClickButtonAsync("Send my answers");
        await invitee.ExpectHeadingAsync("Thank you for sharing your views");

        // 3. The carer's words appear beside the item, and count as voices heard.
        await page.GoToAsync($"/reviews/{review.Id}/cells/human-rights/process");
        var heard = page.Locator($"[id='item-{Item.Id}'] .app-heard-voices");
        await Expect(heard).ToContainTextAsync(Answer);
        await Expect(heard).ToContainTextAsync("Carers (anonymous)");
        await heard.ScreenshotAsync(new() { Path = Screenshots.PathFor("voices-in-cell.png") });
        await page.GoToAsync($"/reviews/{review.Id}/summary");
        await Expect(page.Locator("#heard-items")).ToContainTextAsync(Item.Text);
        await Expect(page.Locator("#sections-without-voices"))
            .Not.ToContainTextAsync(Edition.FindSection("human-rights")!.Title);
        await page.GoToAsync($"/reviews/{review.Id}/voices");
        await Expect(page.Locator("#contribution-count"))
            .ToContainTextAsync("1 contribution received");

        // 4. The carer changes their mind, from the same link on the same device.
        await invitee.GoToAsync(link);
        await invitee.ExpectHeadingAsync("Thank you for sharing your views");
        await invitee.ClickButtonAsync("Withdraw my answers");
        await invitee.ExpectHeadingAsync("Your answers have been withdrawn");
        await page.GoToAsync($"/reviews/{review.Id}/cells/human-rights/process");
        await Expect(page.Locator(".app-heard-voices")).ToHaveCountAsync(0);
        await Expect(page.GetByText(Answer)).ToHaveCountAsync(0);

        // 5. The facilitator revokes the link: it no longer opens.
        await page.GoToAsync($"/reviews/{review.Id}/voices");
        await page.ClickButtonAsync("Revoke the link for Carers");
        await Expect(page.Locator(".govuk-notification-banner"))
            .ToContainTextAsync("no longer works");
        await page.AssertAccessibleAsync();
        await invitee.GoToAsync(link, 410);
        await invitee.ExpectHeadingAsync("This link cannot be used");
        await Expect(invitee.Locator("#link-state"))
            .ToHaveTextAsync("This link has been closed by the people who sent it.");
        await Expect(invitee.GetByText(PublicName)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Links_ExpiredOrUnknown_GetAClearPage()
    {
        var invitee = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        var review = await App.CreateReviewAsync(organisation);
        var (invitation, token) = await App.InviteVoicesAsync(organisation, review.Id);
        await App.QueryAsync(
            async d =>
            {
                var stored = await d.VoiceInvitations.FindAsync(invitation.Id);
                stored!.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
                return await d.SaveChangesAsync();
            },
            organisation.Id
        );

        await invitee.GoToAsync($"/voices/{token}", 410);
        await invitee.ExpectHeadingAsync("This link cannot be used");
        await Expect(invitee.Locator("#link-state")).ToHaveTextAsync("This link has expired.");
        await Expect(invitee.GetByText(VoiceData.PublicName)).ToHaveCountAsync(0);

        await invitee.GoToAsync("/voices/not-a-real-link", 404);
        await invitee.ExpectHeadingAsync("This link cannot be used");
    }

    [Fact]
    public async Task PlainLanguagePages_FacilitatorEditsOneQuestion_HaveNoAxeViolations()
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(roles: MemberRole.Facilitator);
        await page.SignInAsync(organisation[MemberRole.Facilitator].Email, TestApp.Password);
        await page.ExpectPathAsync("/organisation");

        await page.ClickLinkAsync("Plain-language questions for people with lived experience");
        await page.ExpectHeadingAsync("Plain-language questions");
        await page.GoToAsync($"/organisation/plain-language/{Item.Id}");
        await page.ExpectHeadingAsync("Change a plain-language question");
        await page.FillFieldAsync("Your organisation's version", "");
        await page.ClickButtonAsync("Save");
        Assert.Equal(["Enter the plain-language question"], await page.ErrorSummaryAsync());
        await page.AssertAccessibleAsync();
        await page.FillFieldAsync("Your organisation's version", "Did anyone ask you first?");
        await page.ClickButtonAsync("Save");
        await page.ExpectHeadingAsync("Plain-language questions");
        await Expect(page.Locator($"[id='plain-{Item.Id}']"))
            .ToContainTextAsync("Did anyone ask you first?");
        Assert.NotNull(new PlainLanguageCatalog().Ours(Item.Id));
    }
}
