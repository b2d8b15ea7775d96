using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>
/// A live session in the room: the facilitator starts it and puts the shared screen up; a member
/// and a guest join on their phones. The screens follow each answer and each move without a reload.
/// </summary>
public sealed class WorkshopJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly FrameworkEdition Edition = ReviewData.Peisc;
    private static readonly Cell Cell = Edition.FindCell("human-rights", "process")!;
    private static readonly ViewportSize Phone = new() { Width = 360, Height = 740 };

    [Fact]
    public async Task LiveSession_ProjectorAndTwoParticipants_FollowAnswersAndTheNextItemWithoutReloading()
    {
        var console = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Viewer]
        );
        var review = await App.CreateReviewAsync(organisation, "Family group conferencing pilot");
        var title =
            $"{Edition.FindSection("human-rights")!.Title}: {Edition.FindDomain("process")!.Title} ({Cell.Items.Count} items)";

        // The facilitator starts a session on one cell and opens the shared screen.
        await console.SignInAsync(organisation[MemberRole.Facilitator].Email, TestApp.Password);
        await console.GotoAsync($"/reviews/{review.Id}/workshops");
        await console.ExpectHeadingAsync("Live sessions");
        await console.CheckRadioAsync(title);
        await console.ClickButtonAsync("Start the session");
        await console.ExpectHeadingAsync("Run the session: " + title);
        var code = (await console.Locator(".app-join-code").First.TextContentAsync())!.Trim();
        var projector = await console.Context.NewPageAsync();
        await projector.GotoAsync(new Uri(console.Url).AbsolutePath + "/projector");
        await Expect(projector.Locator(".app-workshop-item")).ToHaveTextAsync(Cell.Items[0].Text);
        await projector.AssertAccessibleAsync();

        // A member joins with the code on a phone; a guest joins by name, after a wrong code.
        var member = await NewPageAsync(Phone);
        await member.SignInAsync(organisation[MemberRole.Viewer].Email, TestApp.Password);
        await member.GotoAsync("/join");
        await member.ExpectHeadingAsync("Join a live session");
        await member.FillFieldAsync("Join code", code);
        await member.ClickButtonAsync("Continue");
        await member.ExpectHeadingAsync(title);
        await Expect(member.Locator(".app-workshop-item")).ToHaveTextAsync(Cell.Items[0].Text);

        var guest = await NewPageAsync(Phone);
        await guest.GotoAsync("/join");
        await guest.FillFieldAsync("Join code", "ZZZZ-ZZZZ");
        await guest.ClickButtonAsync("Continue");
        Assert.Single(await guest.ErrorSummaryAsync());
        await guest.AssertAccessibleAsync();
        await guest.FillFieldAsync("Join code", code.ToLowerInvariant());
        await guest.ClickButtonAsync("Continue");
        await guest.AssertAccessibleAsync();
        await guest.FillFieldAsync("Your name, as the facilitator will see it", "Sam");
        await guest.ClickButtonAsync("Join the session");
        await Expect(guest.Locator(".govuk-caption-m")).ToHaveTextAsync("Taking part as Sam");
        await guest.AssertAccessibleAsync();

        // Marks each page, so that a reload (which would lose the mark) cannot pass for a live update.
        foreach (var page in new[] { console, projector, member, guest })
        {
            await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");
            await Expect(page.Locator("[data-workshop]")).ToBeVisibleAsync();
        }
        await WaitForLiveAsync(projector);
        await WaitForLiveAsync(member);
        await WaitForLiveAsync(console);

        // The guest answers: the shared screen's tally and notes change by themselves.
        await guest.CheckRadioAsync("Concern");
        await guest.FillFieldAsync("A short note (optional)", "Who explains this to the children?");
        await guest.ClickButtonAsync("Send my answer");
        await Expect(guest.GetByText("Your answer is in")).ToBeVisibleAsync();
        await Expect(projector.Locator("td[data-position=Concern]")).ToHaveTextAsync("1");
        await Expect(projector.GetByText("Who explains this to the children?")).ToBeVisibleAsync();
        await Expect(console.Locator("td[data-position=Concern]")).ToHaveTextAsync("1");
        await projector.AssertAccessibleAsync();
        await console.AssertAccessibleAsync();
        // The guest's own answer was a form post, so their page was reloaded: mark it again.
        await guest.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        await WaitForLiveAsync(guest);

        // The facilitator moves on: every screen shows the next item by itself.
        await console.ClickButtonAsync("Next item");
        await Expect(console.Locator(".app-workshop-item")).ToHaveTextAsync(Cell.Items[1].Text);
        foreach (var page in new[] { projector, member, guest })
        {
            await Expect(page.Locator(".app-workshop-item")).ToHaveTextAsync(Cell.Items[1].Text);
            Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        }
        await member.AssertAccessibleAsync();
        await guest.AssertAccessibleAsync();
        await Expect(projector.Locator("td[data-position=Concern]")).ToHaveTextAsync("0");
    }

    // The script marks the page once it follows the session, so the test never races the connection.
    private static Task WaitForLiveAsync(IPage page) =>
        Expect(page.Locator("[data-workshop][data-live-connected]")).ToHaveCountAsync(1);
}
