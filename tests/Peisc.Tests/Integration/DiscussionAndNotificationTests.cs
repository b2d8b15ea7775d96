using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>Issue 4, items 4 and 7: item discussions with mentions, and the emails members can turn off.</summary>
public sealed class DiscussionAndNotificationTests
{
    private const string Item = "social-justice.outcomes.2";

    private static string[] MailTo(TestApp app, string email) =>
        Directory.Exists(app.MailDirectory)
            ? Directory
                .GetFiles(app.MailDirectory, "*.eml")
                .Select(File.ReadAllText)
                .Where(m => m.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
                .ToArray()
            : [];

    private static async Task TurnOffAsync(TestApp app, TestUser user, string choice)
    {
        var client = await app.SignedInAsync(user);
        var page = await client.GetPageAsync("/account/notifications");
        var saved = await client.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string> { [choice] = "false" }
        );
        Assert.Contains("Your email choices are saved", saved.Text, StringComparison.Ordinal);
        Assert.Null(saved.Find($"input[name='{choice}'][type=checkbox][checked]"));
    }

    /// <summary>
    /// Sign-in, two-factor and password changes elsewhere (another tab, another app instance) give
    /// the account a new concurrency stamp; saving email choices meanwhile must still work. The
    /// fuzz suite found this as a rare server error.
    /// </summary>
    [Theory, BothDatabases]
    public async Task EmailChoices_SavedWhileTheAccountChangesElsewhere_AreAllKept(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Contributor]);
        var user = org[MemberRole.Contributor];
        var client = await app.SignedInAsync(user);
        var token = (await client.GetPageAsync("/account/notifications")).AntiforgeryToken!;
        var newStamp = db == Db.Sqlite ? "lower(hex(randomblob(16)))" : "gen_random_uuid()::text";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var elsewhere = Task.Run(async () =>
        {
            for (var n = 0; n < 20_000 && !stop.IsCancellationRequested; n++)
            {
                await app.ExecuteOutsideTheAppAsync(
                    $"UPDATE \"AspNetUsers\" SET \"ConcurrencyStamp\" = {newStamp} WHERE \"Id\" = @user",
                    user.Id
                );
            }
        });

        const int Saves = 40;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Saves; i++)
        {
            var response = await client.PostAsync(
                "/account/notifications",
                new FormUrlEncodedContent([
                    new("__RequestVerificationToken", token),
                    new("Input.Mentions", (i % 2 == 1).ToString()),
                    new("Input.ActionsAssigned", "true"),
                    new("Input.ActionsDueSoon", "false"),
                ])
            );
            statuses.Add(response.StatusCode);
        }
        await stop.CancelAsync();
        await elsewhere;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));
        var page = await client.GetPageAsync("/account/notifications");
        // The last save (an odd one) turned mentions on.
        Assert.NotNull(page.Find("input[name='Input.Mentions'][type=checkbox][checked]"));
        Assert.Null(page.Find("input[name='Input.ActionsDueSoon'][type=checkbox][checked]"));
        Assert.Equal(
            Saves,
            (await app.AuditAsync()).Count(e => e.Action == "notifications.changed")
        );
    }

    [Theory, BothDatabases]
    public async Task Comment_MentioningAMember_IsShownAndEmailsThem(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor, MemberRole.Viewer]
        );
        var review = await app.CreateReviewAsync(org, "Shared care records");
        var author = await app.SignedInAsync(org[MemberRole.Contributor]);
        var viewer = org[MemberRole.Viewer];
        var url = $"/reviews/{review.Id}/items/{Item}/discussion";

        var page = await author.GetPageAsync(url);
        var done = await author.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Body"] = "Could the viewer check the consent wording?",
                ["Input.Mentions"] = viewer.Id.ToString(),
            }
        );

        var comment = Page.Normalise(done.Find("#comment-list li")!.TextContent);
        Assert.Contains(
            "Could the viewer check the consent wording?",
            comment,
            StringComparison.Ordinal
        );
        Assert.Contains($"mentioning {viewer.Name}", comment, StringComparison.Ordinal);
        var mail = Assert.Single(MailTo(app, viewer.Email));
        Assert.Contains("mentioned you", mail, StringComparison.Ordinal);
        Assert.Contains(url, mail, StringComparison.Ordinal);
        Assert.Empty(MailTo(app, org.Owner.Email));
    }

    [Theory, BothDatabases]
    public async Task Mention_OfSomeoneWhoTurnedMentionsOff_SendsNoEmail(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        await TurnOffAsync(app, org.Owner, "Input.Mentions");
        var author = await app.SignedInAsync(org[MemberRole.Contributor]);

        var page = await author.GetPageAsync($"/reviews/{review.Id}/items/{Item}/discussion");
        await author.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Body"] = "For the owner",
                ["Input.Mentions"] = org.Owner.Id.ToString(),
            }
        );

        Assert.Empty(MailTo(app, org.Owner.Email));
    }

    [Theory, BothDatabases]
    public async Task EmptyComment_ComesBackWithAnError_AndNothingIsSaved(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var author = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await author.GetPageAsync($"/reviews/{review.Id}/items/{Item}/discussion");

        var response = await author.SubmitAsync(
            page,
            new Dictionary<string, string> { ["Input.Body"] = "   " }
        );
        var back = await Html.ToPageAsync(response, page.Url);

        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(["Enter your comment"], back.ErrorSummary);
        Assert.Equal(0, await app.QueryAsync(d => d.Comments.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Discussion_ResolveAndReopen_AndViewersOnlyRead(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor, MemberRole.Viewer]
        );
        var review = await app.CreateReviewAsync(org);
        var url = $"/reviews/{review.Id}/items/{Item}/discussion";
        var author = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await author.GetPageAsync(url);
        page = await author.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string> { ["Input.Body"] = "Is this settled?" }
        );

        page = await author.SubmitAndFollowAsync(
            page,
            formSelector: "main form[action*='Resolve']"
        );
        Assert.StartsWith(
            "Resolved",
            Page.Normalise(page.Find("#thread-state")!.TextContent),
            StringComparison.Ordinal
        );
        page = await author.SubmitAndFollowAsync(
            page,
            formSelector: "main form[action*='Resolve']"
        );
        Assert.Equal("Open", Page.Normalise(page.Find("#thread-state")!.TextContent));

        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var read = await viewer.GetPageAsync(url);
        Assert.Contains("Is this settled?", read.Text, StringComparison.Ordinal);
        Assert.Null(read.Find("#add-comment"));
        var forged = await viewer.PostAsync(
            url,
            new FormUrlEncodedContent([
                new("__RequestVerificationToken", read.AntiforgeryToken!),
                new("Input.Body", "Viewer sneaks in"),
            ])
        );
        Assert.Equal("/account/access-denied", forged.LocationPath());
        var audit = await app.AuditAsync(org.Id);
        Assert.Single(audit, e => e.Action == "comment.added");
        Assert.Single(audit, e => e.Action == "comment.thread-resolved");
        Assert.Single(audit, e => e.Action == "comment.thread-reopened");
    }

    private static Task<ReviewAction> GiveActionAsync(
        TestApp app,
        TestOrganisation org,
        Guid reviewId,
        TestUser to,
        DateOnly? due
    ) =>
        app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var review = await sp.GetRequiredService<AppDbContext>()
                    .Reviews.SingleAsync(r => r.Id == reviewId);
                return await sp.GetRequiredService<ReviewService>()
                    .CreateActionAsync(
                        review,
                        new ActionInput(
                            "Ask the young carers' group",
                            to.Id,
                            null,
                            due,
                            ActionStatus.Open,
                            []
                        )
                    );
            }
        );

    [Theory, BothDatabases]
    public async Task ActionGivenToAMember_EmailsThem_UnlessTheyTurnedItOff(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor, MemberRole.Facilitator]
        );
        var review = await app.CreateReviewAsync(org);
        await TurnOffAsync(app, org[MemberRole.Facilitator], "Input.ActionsAssigned");

        await GiveActionAsync(app, org, review.Id, org[MemberRole.Contributor], null);
        await GiveActionAsync(app, org, review.Id, org[MemberRole.Facilitator], null);

        var mail = Assert.Single(MailTo(app, org[MemberRole.Contributor].Email));
        Assert.Contains("Ask the young carers", mail, StringComparison.Ordinal);
        Assert.Empty(MailTo(app, org[MemberRole.Facilitator].Email));
    }

    [Theory, BothDatabases]
    public async Task ActionsDueSoon_AreRemindedOnce_AndOnlyWithinThreeDays(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var owner = org[MemberRole.Contributor];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await TurnOffAsync(app, owner, "Input.ActionsAssigned");
        await GiveActionAsync(app, org, review.Id, owner, today.AddDays(2));
        await GiveActionAsync(app, org, review.Id, owner, today.AddDays(20));

        async Task<int> RemindAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope
                .ServiceProvider.GetRequiredService<Notifier>()
                .RemindDueSoonAsync(DateTime.UtcNow);
        }

        Assert.Equal(1, await RemindAsync());
        Assert.Equal(0, await RemindAsync());
        var mail = Assert.Single(MailTo(app, owner.Email));
        Assert.Contains("Action due", mail, StringComparison.Ordinal);
    }
}
