using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Peisc.BrowserTests;

/// <summary>
/// Issue 4's deliberation journey with three people at once, each in their own browser: a
/// facilitator opens the review for individual reflection, two participants record their views
/// without seeing each other's, the facilitator reveals them, everyone sees where views differ,
/// and the facilitator records the team's position with the minority view kept. Then a
/// discussion with a mention. Every page on the way is scanned with axe.
/// </summary>
public sealed class DeliberationJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string ItemId = "human-rights.process.1";
    private const string AliceReason = "The pilot plan covers consent for every family.";
    private const string BobReason = "Young carers were never asked about consent.";
    private const string BobMinority = "Ask the young carers' group before the pilot.";

    private static ILocator ItemBlock(IPage page) => page.Locator($"[id='item-{ItemId}']");

    [Fact]
    public async Task Journey_FacilitatorAndTwoParticipants_ReflectRevealAndAgree()
    {
        var facilitator = await StartAppAsync();
        var org = await App.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var bobUser = await App.AddMemberAsync(org.Id, MemberRole.Contributor, name: "Bob Second");
        var review = await App.CreateReviewAsync(org, "Family time app");
        var cellPath = $"/reviews/{review.Id}/reflection/human-rights/process";
        var alice = await NewPageAsync();
        var bob = await NewPageAsync();
        await facilitator.SignInAsync(org[MemberRole.Facilitator].Email, TestApp.Password);
        await alice.SignInAsync(org[MemberRole.Contributor].Email, TestApp.Password);
        await bob.SignInAsync(bobUser.Email, TestApp.Password);

        // 1. The facilitator opens the review for individual reflection from its tab.
        await facilitator.GoToAsync($"/reviews/{review.Id}");
        await facilitator
            .GetByRole(AriaRole.Navigation, new() { Name = "Review" })
            .GetByRole(AriaRole.Link, new() { Name = "Reflection" })
            .ClickAsync();
        await facilitator.ExpectHeadingAsync("Individual reflection");
        await facilitator.ClickButtonAsync("Open every cell for individual reflection");
        await Expect(facilitator.GetByRole(AriaRole.Alert))
            .ToContainTextAsync("12 cells opened for individual reflection");
        await facilitator.AssertAccessibleAsync();

        // 2. Each participant records their own view; neither sees the other's.
        await alice.GoToAsync(cellPath);
        await alice.AssertAccessibleAsync();
        await ItemBlock(alice).CheckRadioAsync("Addressed");
        await ItemBlock(alice).FillFieldAsync("Your reasoning (optional)", AliceReason);
        await alice.ClickButtonAsync("Save my views");
        await Expect(alice.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your views are saved");

        await bob.GoToAsync(cellPath);
        await ItemBlock(bob).CheckRadioAsync("Concern");
        await ItemBlock(bob).FillFieldAsync("Your reasoning (optional)", BobReason);
        await ItemBlock(bob)
            .FillFieldAsync(
                "If the team may not agree with you, the view you want kept (optional)",
                BobMinority
            );
        await bob.ClickButtonAsync("Save my views");
        await Expect(bob.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your views are saved");
        await bob.AssertAccessibleAsync();

        await alice.ReloadAsync();
        await Expect(alice.Locator("main")).Not.ToContainTextAsync(BobReason);
        await Expect(alice.Locator("#hidden-notice")).ToBeVisibleAsync();

        // 3. The facilitator reveals the cell; everyone now sees both views and that they differ.
        await facilitator.GoToAsync(cellPath);
        await facilitator.ClickButtonAsync("Reveal everyone's views for this cell");
        await Expect(facilitator.GetByRole(AriaRole.Alert)).ToContainTextAsync("Views revealed");
        await facilitator.AssertAccessibleAsync();

        await alice.ReloadAsync();
        var spread = alice.Locator($"[id='spread-{ItemId}']");
        await Expect(spread).ToContainTextAsync("1 addressed, 1 concern");
        await Expect(spread).ToContainTextAsync("Views differ");
        await Expect(alice.Locator($"[id='views-{ItemId}']")).ToContainTextAsync(BobReason);
        await Expect(alice.Locator($"[id='minority-{ItemId}']"))
            .ToHaveTextAsync($"Anonymous: {BobMinority}");
        await alice.AssertAccessibleAsync();
        await alice.GoToAsync($"/reviews/{review.Id}/reflection");
        await Expect(alice.Locator("#most-divergent li").First).ToContainTextAsync("Views differ");
        await alice.AssertAccessibleAsync();

        // 4. The facilitator records the team's position, with the minority view kept beside it.
        await facilitator.ReloadAsync();
        var record = ItemBlock(facilitator);
        await record.Locator(".govuk-details__summary").ClickAsync();
        await record.CheckRadioAsync("Partly addressed");
        await record.FillFieldAsync(
            "The team's reasoning",
            "Covered for most families; the young carers' group is to be asked."
        );
        await Expect(record.GetByLabel("Dissent or minority views kept with it"))
            .ToHaveValueAsync($"Anonymous: {BobMinority}");
        await facilitator.AssertAccessibleAsync();
        await record
            .GetByRole(AriaRole.Button, new() { Name = "Record the team's position on item 1" })
            .ClickAsync();
        await Expect(facilitator.GetByRole(AriaRole.Alert))
            .ToContainTextAsync("The team's position is recorded for item 1");
        await Expect(facilitator.Locator($"[id='agreed-{ItemId}']"))
            .ToContainTextAsync("Partly addressed");
        // Individual views stay in the record after the team has agreed.
        await Expect(facilitator.Locator($"[id='views-{ItemId}']")).ToContainTextAsync(AliceReason);

        // 5. A discussion of the item, mentioning Bob, who is emailed.
        await alice.GoToAsync($"/reviews/{review.Id}/items/{ItemId}/discussion");
        await alice.ExpectHeadingAsync("Discussion of an item");
        await alice.FillFieldAsync("Add a comment", "Bob, can you ask the group this week?");
        await alice.CheckBoxAsync("Bob Second");
        await alice.ClickButtonAsync("Add comment");
        await Expect(alice.Locator("#comment-list")).ToContainTextAsync("mentioning Bob Second");
        await alice.AssertAccessibleAsync();
        var mail = await Mailbox.NewestAsync(App.MailDirectory);
        Assert.Contains(bobUser.Email, mail.To.ToString(), StringComparison.OrdinalIgnoreCase);

        // 6. Bob turns off mention emails on his notifications page.
        await bob.GoToAsync("/account/notifications");
        await bob.ExpectHeadingAsync("Emails you get");
        await bob.GetByLabel("When someone mentions me in a discussion").UncheckAsync();
        await bob.ClickButtonAsync("Save my choices");
        await Expect(bob.GetByRole(AriaRole.Alert))
            .ToContainTextAsync("Your email choices are saved");
        await Expect(bob.GetByLabel("When someone mentions me in a discussion"))
            .Not.ToBeCheckedAsync();
        await bob.AssertAccessibleAsync();
    }
}
