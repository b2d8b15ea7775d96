using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>The action plan, and raising and changing actions.</summary>
public sealed class ReviewActionsTests
{
    private const string ItemId = "human-rights.process.1";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    // In the order of the form, as GOV.UK asks.
    private static void HasErrors(Page page, params string[] expected) =>
        Assert.Equal(expected, page.ErrorSummary);

    private static Dictionary<string, string> Due(DateOnly date) =>
        new()
        {
            ["Input.DueDate.Day"] = date.Day.ToString(CultureInfo.InvariantCulture),
            ["Input.DueDate.Month"] = date.Month.ToString(CultureInfo.InvariantCulture),
            ["Input.DueDate.Year"] = date.Year.ToString(CultureInfo.InvariantCulture),
        };

    /// <summary>An action with an owner of our choosing, straight through ReviewService.</summary>
    private static Task<ReviewAction> ActionAsync(
        TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string title,
        DateOnly? due,
        ActionStatus status,
        string? ownerName = null,
        Guid? ownerUserId = null
    ) =>
        app.AsMemberAsync(
            org,
            org[MemberRole.Contributor],
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
                return await sp.GetRequiredService<ReviewService>()
                    .CreateActionAsync(
                        review,
                        new ActionInput(title, ownerUserId, ownerName, due, status, [])
                    );
            }
        );

    private static List<string> Titles(Page page) =>
        page.FindAll("#actions tbody tr .app-action-title")
            .Select(e => Page.Normalise(e.TextContent))
            .ToList();

    /// <summary>The address a browser would go to when submitting a GET form with these values.</summary>
    private static string GetFormUrl(Page page, string selector, Dictionary<string, string> values)
    {
        var form = page.Find(selector)!;
        Assert.Equal("get", form.GetAttribute("method"));
        var fields = form.QuerySelectorAll("input[name]")
            .Where(i =>
                i.GetAttribute("type") is not ("checkbox" or "radio") || i.HasAttribute("checked")
            )
            .Where(i => !values.ContainsKey(i.GetAttribute("name")!))
            .Select(i => new KeyValuePair<string, string?>(
                i.GetAttribute("name")!,
                i.GetAttribute("value")
            ))
            .Concat(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            form.GetAttribute("action")!,
            fields
        );
    }

    private static string RowText(Page page, string title) =>
        Page.Normalise(
            page.FindAll("#actions tbody tr")
                .Single(tr => tr.TextContent.Contains(title, StringComparison.Ordinal))
                .TextContent
        );

    [Theory, BothDatabases]
    public async Task RaiseAction_FromAnItem_ListsItOnThePlanWithTheItem(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);

        var form = await client.GetPageAsync($"/reviews/{review.Id}/actions/new?item={ItemId}");
        Assert.True(
            form.Find($"input[name='Input.ItemIds'][value='{ItemId}']")!.HasAttribute("checked")
        );
        var due = Today.AddDays(14);
        var values = Due(due);
        values["Input.Title"] = "Write a consent leaflet for families";
        values["Input.OwnerKind"] = "named";
        values["Input.OwnerName"] = "Sam from the parent panel";
        var plan = await client.SubmitAndFollowAsync(form, values);

        Assert.Equal($"/reviews/{review.Id}/actions", plan.Url.AbsolutePath);
        Assert.Contains(
            "Action raised: Write a consent leaflet for families",
            plan.Text,
            StringComparison.Ordinal
        );
        var row = RowText(plan, "Write a consent leaflet for families");
        Assert.Contains("Sam from the parent panel", row, StringComparison.Ordinal);
        Assert.Contains("Open", row, StringComparison.Ordinal);
        Assert.Contains(
            due.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            row,
            StringComparison.Ordinal
        );
        Assert.NotNull(
            plan.Find(
                $"#actions a[href='/reviews/{review.Id}/cells/human-rights/process#item-{ItemId}']"
            )
        );
        var saved = await app.QueryAsync(d => d.Actions.SingleAsync(), org.Id);
        Assert.Equal(ItemId, saved.ItemIds);
        Assert.Equal(1, saved.OpenedInRound);
        Assert.Equal(due.ToDateTime(TimeOnly.MinValue), saved.DueDate);
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "action.created");
    }

    [Theory, BothDatabases]
    public async Task RaiseAction_OwnedByAMember_ShowsTheirName(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var owner = org[MemberRole.Facilitator];

        var form = await client.GetPageAsync($"/reviews/{review.Id}/actions/new");
        Assert.NotNull(form.Find($"#Input_OwnerUserId option[value='{owner.Id}']"));
        var plan = await client.SubmitAndFollowAsync(
            form,
            new Dictionary<string, string>
            {
                ["Input.Title"] = "Ask the workforce group",
                ["Input.OwnerKind"] = "member",
                ["Input.OwnerUserId"] = owner.Id.ToString(),
                ["Input.Status"] = "InProgress",
            }
        );

        var row = RowText(plan, "Ask the workforce group");
        Assert.Contains(owner.Name, row, StringComparison.Ordinal);
        Assert.Contains("In progress", row, StringComparison.Ordinal);
        Assert.Contains("No due date", row, StringComparison.Ordinal);
        var saved = await app.QueryAsync(d => d.Actions.SingleAsync(), org.Id);
        Assert.Equal(owner.Id, saved.OwnerUserId);
        Assert.Null(saved.OwnerName);
    }

    [Theory, BothDatabases]
    public async Task RaiseAction_WithErrors_ShowsGovukMessagesAndKeepsTheText(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var form = await client.GetPageAsync($"/reviews/{review.Id}/actions/new?item={ItemId}");

        var first = await Html.ToPageAsync(
            await client.SubmitAsync(
                form,
                new Dictionary<string, string>
                {
                    ["Input.Title"] = "",
                    ["Input.OwnerKind"] = "named",
                    ["Input.OwnerName"] = " ",
                    ["Input.DueDate.Day"] = "31",
                    ["Input.DueDate.Month"] = "2",
                    ["Input.DueDate.Year"] = "2026",
                }
            ),
            form.Url
        );

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.StartsWith("Error: ", first.Document.Title, StringComparison.Ordinal);
        HasErrors(
            first,
            "Enter what needs to be done",
            "Enter the name of the person who owns this action",
            "Enter a real due date"
        );
        Assert.Equal("31", first.Find("[name='Input.DueDate.Day']")!.GetAttribute("value"));
        Assert.True(
            first.Find($"input[name='Input.ItemIds'][value='{ItemId}']")!.HasAttribute("checked")
        );
        Assert.True(first.Find("#Input_OwnerKind-2")!.HasAttribute("checked"));

        var tooLong = "Find out how families are told about the pilot. " + new string('x', 500);
        var second = await Html.ToPageAsync(
            await client.SubmitAsync(
                form,
                new Dictionary<string, string>
                {
                    ["Input.Title"] = tooLong,
                    ["Input.OwnerKind"] = "member",
                    ["Input.OwnerUserId"] = Guid.NewGuid().ToString(),
                }
            ),
            form.Url
        );

        HasErrors(
            second,
            "What needs to be done must be 500 characters or fewer",
            "Select the member who owns this action"
        );
        Assert.Equal(tooLong, second.Find("#Input_Title")!.TextContent);
        Assert.Empty(await app.QueryAsync(d => d.Actions.ToListAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task ActionPlan_OverdueActions_AreMarkedInWords(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.CreateActionAsync(org, review.Id, "Late and open", Today.AddDays(-3));
        await app.CreateActionAsync(
            org,
            review.Id,
            "Late but in progress",
            Today.AddDays(-1),
            ActionStatus.InProgress
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Late but done",
            Today.AddDays(-3),
            ActionStatus.Done
        );
        await app.CreateActionAsync(org, review.Id, "Due today", Today);
        await app.CreateActionAsync(org, review.Id, "Due later", Today.AddDays(10));
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var plan = await client.GetPageAsync($"/reviews/{review.Id}/actions");

        Assert.Contains("Overdue", RowText(plan, "Late and open"), StringComparison.Ordinal);
        Assert.Contains("Overdue", RowText(plan, "Late but in progress"), StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue", RowText(plan, "Late but done"), StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue", RowText(plan, "Due today"), StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue", RowText(plan, "Due later"), StringComparison.Ordinal);
        Assert.Equal(2, plan.FindAll("#actions .app-overdue").Count());
    }

    [Theory, BothDatabases]
    public async Task ActionPlan_SortAndFilter_FollowTheQueryString(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var facilitator = org[MemberRole.Facilitator];
        await ActionAsync(app, org, review.Id, "Bravo", Today.AddDays(5), ActionStatus.Done, "Zoe");
        await ActionAsync(
            app,
            org,
            review.Id,
            "Alpha",
            Today.AddDays(-2),
            ActionStatus.Open,
            "Ann"
        );
        await ActionAsync(
            app,
            org,
            review.Id,
            "Charlie",
            null,
            ActionStatus.InProgress,
            ownerUserId: facilitator.Id
        );
        await ActionAsync(
            app,
            org,
            review.Id,
            "Delta",
            Today.AddDays(1),
            ActionStatus.Dropped,
            "Ann"
        );
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var root = $"/reviews/{review.Id}/actions";

        var byDue = await client.GetPageAsync(root);
        Assert.Equal(["Alpha", "Delta", "Bravo", "Charlie"], Titles(byDue));
        Assert.Equal("Due date", byDue.Find("th[aria-sort='ascending']")!.TextContent.Trim());

        // The column links are how sorting works without JavaScript: follow them.
        var statusLink = byDue.Find("th a[href*='sort=status']")!.GetAttribute("href")!;
        var byStatus = await client.GetPageAsync(statusLink);
        Assert.Equal(["Alpha", "Charlie", "Bravo", "Delta"], Titles(byStatus));
        var statusDesc = byStatus.Find("th a[href*='sort=status']")!.GetAttribute("href")!;
        Assert.Contains("desc=true", statusDesc, StringComparison.Ordinal);
        Assert.Equal(
            ["Delta", "Bravo", "Charlie", "Alpha"],
            Titles(await client.GetPageAsync(statusDesc))
        );
        Assert.Equal(
            ["Bravo", "Delta", "Alpha", "Charlie"],
            Titles(await client.GetPageAsync(root + "?sort=due&desc=true"))
        );
        Assert.Equal(
            ["Alpha", "Delta", "Charlie", "Bravo"],
            Titles(await client.GetPageAsync(root + "?sort=owner"))
        );

        Assert.Equal(
            ["Alpha", "Charlie"],
            Titles(await client.GetPageAsync(root + "?status=Open&status=InProgress"))
        );
        Assert.Equal(["Alpha"], Titles(await client.GetPageAsync(root + "?overdue=true")));
        var ann = await client.GetPageAsync(root + "?owner=named:Ann&sort=due&desc=true");
        Assert.Equal(["Delta", "Alpha"], Titles(ann));
        Assert.Equal(
            "2 of 4 actions",
            ann.Find("#actions caption")!.FirstChild!.TextContent.Trim()
        );
        Assert.Equal(
            ["Charlie"],
            Titles(await client.GetPageAsync(root + $"?owner=member:{facilitator.Id}"))
        );

        // The filter form is a plain GET form that keeps the sort.
        var filterUrl = GetFormUrl(
            byStatus,
            "main form[method=get]",
            new Dictionary<string, string> { ["Status"] = "Done", ["owner"] = "" }
        );
        Assert.Contains("sort=status", filterUrl, StringComparison.Ordinal);
        Assert.Equal(["Bravo"], Titles(await client.GetPageAsync(filterUrl)));
    }

    [Theory, BothDatabases]
    public async Task Actions_Viewer_CannotRaiseOrChangeThem(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(org, review.Id, "Check the data sharing");
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);

        var plan = await viewer.GetPageAsync($"/reviews/{review.Id}/actions");
        Assert.Contains("Check the data sharing", plan.Text, StringComparison.Ordinal);
        Assert.Null(plan.Find($"a[href='/reviews/{review.Id}/actions/new']"));
        Assert.Null(plan.Find($"a[href='/reviews/{review.Id}/actions/{action.Id}']"));

        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}/actions/new",
                $"/reviews/{review.Id}/actions/{action.Id}",
            }
        )
        {
            var get = await viewer.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.StartsWith(
                "/account/access-denied",
                get.Headers.Location!.PathAndQuery,
                StringComparison.Ordinal
            );
            // The sign-out form in the header carries a token on every page.
            var token = plan.Find("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            var post = await viewer.PostAsync(
                url,
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["__RequestVerificationToken"] = token,
                        ["Input.Title"] = "Sneaky",
                        ["Input.OwnerKind"] = "named",
                        ["Input.OwnerName"] = "Me",
                        ["Input.Status"] = "Open",
                        ["Input.Version"] = "1",
                    }
                )
            );
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.StartsWith(
                "/account/access-denied",
                post.Headers.Location!.PathAndQuery,
                StringComparison.Ordinal
            );
        }
        var actions = await app.QueryAsync(d => d.Actions.ToListAsync(), org.Id);
        Assert.Equal("Check the data sharing", Assert.Single(actions).Title);
    }

    [Theory, BothDatabases]
    public async Task EditAction_MarkedDone_IsClosedInTheCurrentRound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(
            org,
            review.Id,
            "Agree the consent wording",
            Today.AddDays(-5),
            ActionStatus.Open,
            ItemId
        );
        await app.StartRoundAsync(org, review.Id, "stage.3");
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);

        var form = await client.GetPageAsync($"/reviews/{review.Id}/actions/{action.Id}");
        Assert.Equal("Agree the consent wording", form.Find("#Input_Title")!.TextContent);
        Assert.True(form.Find("#Input_OwnerKind-2")!.HasAttribute("checked"));
        Assert.Equal("Alex Named", form.Find("#Input_OwnerName")!.GetAttribute("value"));
        Assert.True(
            form.Find($"input[name='Input.ItemIds'][value='{ItemId}']")!.HasAttribute("checked")
        );
        var plan = await client.SubmitAndFollowAsync(
            form,
            new Dictionary<string, string> { ["Input.Status"] = "Done" }
        );

        Assert.Contains(
            "Action updated: Agree the consent wording",
            plan.Text,
            StringComparison.Ordinal
        );
        var row = RowText(plan, "Agree the consent wording");
        Assert.Contains("Done", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue", row, StringComparison.Ordinal);
        var saved = await app.QueryAsync(d => d.Actions.SingleAsync(), org.Id);
        Assert.Equal(
            (ActionStatus.Done, 1, 2, 2),
            (saved.Status, saved.OpenedInRound, saved.ClosedInRound, saved.Version)
        );
    }

    [Theory, BothDatabases]
    public async Task EditAction_SomeoneElseSavedFirst_ShowsTheirVersionAndKeepsTheInput(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(org, review.Id, "Map the referral routes");
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var form = await client.GetPageAsync($"/reviews/{review.Id}/actions/{action.Id}");

        // Someone else saves while this person still has the form open.
        await app.AsMemberAsync(
            org,
            org[MemberRole.Facilitator],
            async sp =>
            {
                var data = sp.GetRequiredService<AppDbContext>();
                var theirs = await data.Actions.SingleAsync(a => a.Id == action.Id);
                var review2 = await data.Reviews.SingleAsync(r => r.Id == review.Id);
                return await sp.GetRequiredService<ReviewService>()
                    .UpdateActionAsync(
                        review2,
                        theirs,
                        new ActionInput(
                            "Map the referral routes with the front door team",
                            null,
                            "Priya",
                            null,
                            ActionStatus.InProgress,
                            []
                        ),
                        1
                    );
            }
        );
        var conflict = await Html.ToPageAsync(
            await client.SubmitAsync(
                form,
                new Dictionary<string, string>
                {
                    ["Input.Title"] = "Map the referral routes and the waiting times",
                }
            ),
            form.Url
        );

        Assert.Equal(
            [
                "Someone else changed this action while you were editing: check the current version below",
            ],
            conflict.ErrorSummary
        );
        var theirs = Page.Normalise(conflict.Find("#their-version")!.TextContent);
        Assert.Contains(
            "Map the referral routes with the front door team",
            theirs,
            StringComparison.Ordinal
        );
        Assert.Contains("Priya", theirs, StringComparison.Ordinal);
        Assert.Contains("In progress", theirs, StringComparison.Ordinal);
        Assert.Equal(
            "Map the referral routes and the waiting times",
            conflict.Find("#Input_Title")!.TextContent
        );
        Assert.Equal(
            "Map the referral routes with the front door team",
            (await app.QueryAsync(d => d.Actions.SingleAsync(), org.Id)).Title
        );

        // Having seen theirs, the person can save over it knowingly.
        var plan = await client.SubmitAndFollowAsync(conflict);
        Assert.Contains("Action updated", plan.Text, StringComparison.Ordinal);
        var saved = await app.QueryAsync(d => d.Actions.SingleAsync(), org.Id);
        Assert.Equal(
            ("Map the referral routes and the waiting times", 3),
            (saved.Title, saved.Version)
        );
    }

    [Theory, BothDatabases]
    public async Task ActionPages_AnotherOrganisationsReview_AnswerNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var mine = await app.CreateOrganisationAsync();
        var theirs = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(theirs);
        var action = await app.CreateActionAsync(theirs, review.Id, "Their action");
        var own = await app.CreateReviewAsync(mine);
        var ownAction = await app.CreateActionAsync(mine, own.Id, "Our action");
        var client = await app.SignedInAsync(mine.Owner);
        var token = (await client.GetPageAsync($"/reviews/{own.Id}/actions/new"))
            .Find("input[name=__RequestVerificationToken]")!
            .GetAttribute("value")!;

        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}/actions",
                $"/reviews/{review.Id}/actions/new",
                $"/reviews/{review.Id}/actions/{action.Id}",
                // Our review with their action, and their review with ours.
                $"/reviews/{own.Id}/actions/{action.Id}",
                $"/reviews/{review.Id}/actions/{ownAction.Id}",
            }
        )
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
            if (url.EndsWith("/actions", StringComparison.Ordinal))
            {
                continue;
            }
            var post = await client.PostAsync(
                url,
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["__RequestVerificationToken"] = token,
                        ["Input.Title"] = "Changed",
                        ["Input.OwnerKind"] = "named",
                        ["Input.OwnerName"] = "Me",
                        ["Input.Status"] = "Done",
                        ["Input.Version"] = "1",
                    }
                )
            );
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
        var untouched = await app.QueryAsync(d => d.Actions.SingleAsync(), theirs.Id);
        Assert.Equal(("Their action", 1), (untouched.Title, untouched.Version));
    }
}
