using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.BrowserTests;

/// <summary>trust.md X1 for the action plan, rounds, comparison, summary and history pages, with their error states.</summary>
public sealed class ReviewPlanAccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(MemberRole.Facilitator)]
    [InlineData(MemberRole.Viewer)]
    public async Task ReviewPlanPages_EachRole_HaveNoAxeViolations(MemberRole role)
    {
        var page = await StartAppAsync();
        var organisation = await App.CreateOrganisationAsync();
        var review = await App.CreateReviewAsync(organisation, "Family group conferencing pilot");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await App.AnswerAsync(
            organisation,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "No consent process yet.",
            Voices.Practitioners
        );
        var late = await App.CreateActionAsync(
            organisation,
            review.Id,
            "Write the consent leaflet",
            today.AddDays(-3),
            ActionStatus.Open,
            "human-rights.process.1"
        );
        await App.CreateActionAsync(
            organisation,
            review.Id,
            "Ask the parent panel",
            today.AddDays(7)
        );
        await App.StartRoundAsync(organisation, review.Id, "stage.3");
        await App.AnswerAsync(
            organisation,
            review.Id,
            "human-rights.process.1",
            Position.Addressed,
            "Leaflet agreed."
        );
        var root = $"/reviews/{review.Id}";
        var canChange = role >= MemberRole.Contributor ? 200 : 403;
        var audit = new PageAudit(page);

        await page.SignInAsync(organisation[role].Email, TestApp.Password);
        await audit.VisitAsync($"{root}/actions");
        await audit.VisitAsync($"{root}/actions?sort=status&desc=true&status=Open&overdue=true");
        await audit.VisitAsync($"{root}/actions/new?item=human-rights.process.1", canChange);
        await audit.VisitAsync($"{root}/actions/{late.Id}", canChange);
        await audit.VisitAsync($"{root}/rounds");
        await audit.VisitAsync($"{root}/compare?from=1&to=2");
        await audit.VisitAsync($"{root}/summary");
        await audit.VisitAsync($"{root}/manage");
        await audit.VisitAsync($"{root}/items/human-rights.process.1/history");

        if (role >= MemberRole.Contributor)
        {
            // The error states: an empty action form, and a round started without a choice.
            await page.GoToAsync($"{root}/actions/new");
            await page.FillFieldAsync("Day", "31");
            await page.FillFieldAsync("Month", "2");
            await page.FillFieldAsync("Year", "2026");
            await page.ClickButtonAsync("Raise action");
            Assert.Contains("Enter what needs to be done", await page.ErrorSummaryAsync());
            await audit.ScanAsync();

            await page.GoToAsync($"{root}/rounds");
            await page.ClickButtonAsync("Start round 3");
            Assert.Contains("Confirm that round 2 will be frozen", await page.ErrorSummaryAsync());
            await audit.ScanAsync();
        }

        audit.AssertClean();
    }
}
