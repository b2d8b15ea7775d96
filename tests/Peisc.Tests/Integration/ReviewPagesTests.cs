using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class ReviewPagesTests
{
    private static Dictionary<string, string> NewReview(
        string title = "Family group conferencing pilot"
    ) =>
        new()
        {
            ["Input.Title"] = title,
            ["Input.Innovation"] = "Families plan with their network before any court step.",
            ["Input.ServiceArea"] = "Children",
            ["Input.SituationId"] = "situation.2",
            ["Input.StageId"] = "stage.3",
            ["Input.Partners"] = "Northshire NHS Trust",
        };

    private static string CellUrl(Guid reviewId, string cell = "human-rights/process") =>
        $"/reviews/{reviewId}/cells/{cell}";

    [Theory, BothDatabases]
    public async Task StartReview_Facilitator_CreatesTheFirstRoundAndShowsTheOverview(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var page = await client.GetPageAsync("/reviews/new");

        var overview = await client.SubmitAndFollowAsync(page, NewReview());

        Assert.Equal("Overview", overview.Heading);
        Assert.Contains("Family group conferencing pilot", overview.Text, StringComparison.Ordinal);
        Assert.Equal("Testing (round 1)", overview.Find("#current-stage")?.TextContent.Trim());
        Assert.Equal(
            "0 of 77 items considered; 0 concerns",
            overview.Find("#progress")?.TextContent.Trim()
        );
        Assert.Equal(12, overview.FindAll("#review-grid td[id^=cell-]").Count());
        var review = await app.QueryAsync(d => d.Reviews.SingleAsync(), org.Id);
        Assert.Equal("peisc", review.EditionId);
        Assert.Equal(
            1,
            await app.QueryAsync(
                d => d.Rounds.CountAsync(r => r.ReviewId == review.Id && r.StageId == "stage.3"),
                org.Id
            )
        );
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == "review.created" && e.EntityId == review.Id.ToString()
        );
    }

    [Theory, BothDatabases]
    public async Task StartReview_MissingFields_ListsErrorsInFormOrderAndKeepsText(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org.Owner);
        var page = await client.GetPageAsync("/reviews/new");
        var form = NewReview("");
        form.Remove("Input.SituationId");
        form["Input.Partners"] = new string('p', 1001);

        var result = await Html.ToPageAsync(await client.SubmitAsync(page, form), page.Url);

        Assert.Equal(
            [
                "Enter a title for the review",
                "Select the situation your team is in",
                "Partner organisations must be 1,000 characters or fewer",
            ],
            result.ErrorSummary
        );
        Assert.Equal(
            "Families plan with their network before any court step.",
            result.Find("#Input_Innovation")?.TextContent
        );
        Assert.Equal(new string('p', 1001), result.Find("#Input_Partners")?.TextContent);
        Assert.Equal(0, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task StartReview_Contributor_IsDenied(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);

        var response = await client.GetAsync("/reviews/new");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(
            "/account/access-denied",
            response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        Assert.Null((await client.GetPageAsync("/reviews")).Find("a[href='/reviews/new']"));
    }

    [Theory, BothDatabases]
    public async Task ReviewList_ManyReviews_FiltersSortsAndPages(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        for (var i = 0; i < 27; i++)
        {
            await app.CreateReviewAsync(
                org,
                $"Review {i:D2}",
                stageId: i % 3 == 0 ? "stage.1" : "stage.4",
                area: i % 2 == 0 ? ServiceArea.Adults : ServiceArea.Children
            );
        }
        var worried = await app.CreateReviewAsync(org, "Zebra concern review");
        await app.AnswerAsync(
            org,
            worried.Id,
            "social-justice.outcomes.2",
            Position.Concern,
            "Knock-on effects on budgets"
        );
        await app.CreateActionAsync(org, worried.Id, "Ask finance", new DateOnly(2020, 1, 1));
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var first = await client.GetPageAsync("/reviews?sort=title&desc=false");
        var second = await client.GetPageAsync("/reviews?sort=title&desc=false&page=2");
        var stage1 = await client.GetPageAsync("/reviews?stage=stage.1");
        var concerns = await client.GetPageAsync("/reviews?concerns=true");
        var search = await client.GetPageAsync("/reviews?q=zebra");
        // A search pasted with NUL in it (PostgreSQL cannot take one) finds what the rest says.
        var pasted = await client.GetPageAsync("/reviews?q=ze%00bra");

        Assert.Equal("28 reviews, page 1 of 2", first.Find("#reviews caption")?.TextContent.Trim());
        Assert.Equal(25, first.FindAll("#reviews tbody tr").Count());
        Assert.Equal("Review 00", first.Find("#reviews tbody tr a")?.TextContent);
        Assert.Equal(3, second.FindAll("#reviews tbody tr").Count());
        Assert.Equal(
            "Zebra concern review",
            second.FindAll("#reviews tbody tr a").Last().TextContent
        );
        Assert.Equal(9, stage1.FindAll("#reviews tbody tr").Count());
        var row = Assert.Single(concerns.FindAll("#reviews tbody tr"));
        Assert.Contains("1 overdue", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 of 77 considered", row.TextContent, StringComparison.Ordinal);
        Assert.Single(search.FindAll("#reviews tbody tr"));
        Assert.Single(pasted.FindAll("#reviews tbody tr"));
        Assert.Equal("zebra", pasted.Find("input[name='q']")?.GetAttribute("value"));
    }

    [Theory, BothDatabases]
    public async Task Overview_AfterAnswers_ShowsConsideredConcernsAndUntouchedPerCell(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear"
        );
        await app.AnswerAsync(org, review.Id, "human-rights.process.2", Position.Addressed);
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var overview = await client.GetPageAsync($"/reviews/{review.Id}");
        var cell = overview.Find("#cell-human-rights\\.process")!.TextContent;

        Assert.Contains("2 of 5 considered", cell, StringComparison.Ordinal);
        Assert.Contains("1 concern", cell, StringComparison.Ordinal);
        Assert.Contains("3 untouched", cell, StringComparison.Ordinal);
        Assert.Contains(
            "No concerns",
            overview.Find("#cell-overarching\\.innovation")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Equal(
            "2 of 77 items considered; 1 concern",
            overview.Find("#progress")?.TextContent.Trim()
        );
        Assert.NotNull(overview.Find("#review-grid th[scope=row]"));
    }

    [Theory, BothDatabases]
    public async Task Overview_ByStage_MarksTheCurrentStage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, stageId: "stage.4");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);

        var page = await client.GetPageAsync($"/reviews/{review.Id}?view=stage");

        var current = Assert.Single(
            page.FindAll("#stages li"),
            li => li.TextContent.Contains("Current stage", StringComparison.Ordinal)
        );
        Assert.Contains("4. Embedding", current.TextContent, StringComparison.Ordinal);
        var bySection = await client.GetPageAsync($"/reviews/{review.Id}?view=section");
        Assert.Contains("Principles of social justice", bySection.Text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Cell_SaveAnswers_StoresEachItemWithHistoryAndAudit(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(CellUrl(review.Id));
        Assert.Equal(
            ReviewData.Peisc.FindCell("human-rights", "process")!.Question,
            page.Find("#question")?.TextContent
        );
        Assert.Equal(5, page.FindAll(".app-privacy-warning").Count() / 3);

        var saved = await client.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Items[0].Position"] = "Concern",
                ["Items[0].Reasoning"] = "Consent forms are not yet written for children.",
                ["Items[0].Evidence"] = "Project plan v3",
                ["Items[0].Voices"] = "Practitioners",
                ["Items[0].Dissent"] =
                    "One member thinks this is addressed by the pilot agreement.",
                ["Items[1].Position"] = "NotApplicable",
                ["Items[1].NotApplicableReason"] = "No participation work at this stage",
            }
        );

        Assert.Contains(
            "Saved: Human rights, The innovation process",
            saved.Text,
            StringComparison.Ordinal
        );
        Assert.Equal(
            "Concern",
            saved.Find("input[name='Items[0].Position'][checked]")?.GetAttribute("value")
        );
        Assert.Equal(
            "Consent forms are not yet written for children.",
            saved.Find("#Items_0__Reasoning")?.TextContent
        );
        Assert.Equal("1", saved.Find("input[name='Items[0].Version']")?.GetAttribute("value"));
        var answers = await app.QueryAsync(
            d => d.Answers.Where(a => a.ReviewId == review.Id).OrderBy(a => a.ItemId).ToListAsync(),
            org.Id
        );
        Assert.Equal(
            ["human-rights.process.1", "human-rights.process.2"],
            answers.Select(a => a.ItemId)
        );
        Assert.Equal(Voices.Practitioners, answers[0].Voices);
        Assert.Equal(
            2,
            await app.QueryAsync(
                d => d.AnswerChanges.CountAsync(c => c.ReviewId == review.Id),
                org.Id
            )
        );
        Assert.Equal(2, (await app.AuditAsync(org.Id)).Count(e => e.Action == "answer.saved"));
        var stored = await app.QueryAsync(
            d => d.Reviews.SingleAsync(r => r.Id == review.Id),
            org.Id
        );
        Assert.Equal((2, 1), (stored.ConsideredCount, stored.ConcernCount));
    }

    [Theory, BothDatabases]
    public async Task Cell_NotApplicableWithoutReasonAndOverLongText_ComesBackWithEverythingTyped(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(CellUrl(review.Id));
        var tooLong = new string('x', 5001);

        var result = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Items[0].Position"] = "NotApplicable",
                    ["Items[0].Reasoning"] = "Kept as typed",
                    ["Items[2].Position"] = "Addressed",
                    ["Items[2].Evidence"] = tooLong,
                }
            ),
            page.Url
        );

        Assert.Equal(
            [
                "Say why this item does not apply (item 1)",
                "Evidence must be 5,000 characters or fewer (item 3)",
            ],
            result.ErrorSummary
        );
        Assert.StartsWith("Error: ", result.Document.Title, StringComparison.Ordinal);
        Assert.Equal("Kept as typed", result.Find("#Items_0__Reasoning")?.TextContent);
        Assert.Equal(tooLong, result.Find("#Items_2__Evidence")?.TextContent);
        Assert.Equal(
            "#Items_0__NotApplicableReason",
            result.Find(".govuk-error-summary__list a")?.GetAttribute("href")
        );
        Assert.Equal(
            0,
            await app.QueryAsync(
                d =>
                    d.Answers.CountAsync(a =>
                        a.ItemId == "human-rights.process.1" || a.ItemId == "human-rights.process.3"
                    ),
                org.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task Cell_OneItemWrongOthersRight_SavesTheRightOnesAndSaysSo(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(CellUrl(review.Id));

        var result = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Items[0].Position"] = "Addressed",
                    ["Items[1].Position"] = "NotApplicable",
                    ["Items[1].Reasoning"] = "Typed",
                }
            ),
            page.Url
        );

        Assert.Equal(["Say why this item does not apply (item 2)"], result.ErrorSummary);
        Assert.NotNull(result.Find("#partly-saved"));
        Assert.Contains(
            "1 of 5 items in this cell considered. Review progress: 1 of 77.",
            result.Find("#cell-progress")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Equal("1", result.Find("input[name='Items[0].Version']")?.GetAttribute("value"));
        Assert.Equal("Typed", result.Find("#Items_1__Reasoning")?.TextContent);
    }

    [Theory, BothDatabases]
    public async Task Cell_SomeoneSavedFirst_ShowsBothVersionsAndSavingAgainKeepsMine(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(CellUrl(review.Id));
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Addressed,
            "Their reasoning, saved first"
        );

        var conflict = await Html.ToPageAsync(
            await client.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Items[0].Position"] = "Concern",
                    ["Items[0].Reasoning"] = "My reasoning",
                }
            ),
            page.Url
        );

        Assert.Contains(
            "Someone else saved item 1 while you were editing: compare the two versions below and choose which to keep",
            conflict.ErrorSummary
        );
        Assert.Equal(
            "Their reasoning, saved first",
            conflict
                .Find("#conflict-human-rights\\.process\\.1 .app-their-reasoning")
                ?.TextContent.Trim()
        );
        Assert.Equal("My reasoning", conflict.Find("#Items_0__Reasoning")?.TextContent);
        var stored = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ItemId == "human-rights.process.1"),
            org.Id
        );
        Assert.Equal(("Their reasoning, saved first", 1), (stored.Reasoning, stored.Version));

        var kept = await client.SubmitAndFollowAsync(
            conflict,
            new Dictionary<string, string>
            {
                ["Items[0].Position"] = "Concern",
                ["Items[0].Reasoning"] = "My reasoning",
            }
        );

        Assert.Equal("My reasoning", kept.Find("#Items_0__Reasoning")?.TextContent);
        var history = await app.QueryAsync(
            d =>
                d.AnswerChanges.Where(c => c.ItemId == "human-rights.process.1")
                    .OrderBy(c => c.Version)
                    .Select(c => c.Reasoning)
                    .ToListAsync(),
            org.Id
        );
        Assert.Equal(["Their reasoning, saved first", "My reasoning"], history);
    }

    [Theory, BothDatabases]
    public async Task Cell_SaveAndNext_GoesToTheNextCellInFrameworkOrder(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(CellUrl(review.Id, "overarching/outcomes"));

        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Items[0].Position"] = "PartlyAddressed",
                ["next"] = "true",
            }
        );

        Assert.Equal(
            CellUrl(review.Id, "human-rights/innovation"),
            response.Headers.Location?.OriginalString
        );
    }

    [Theory, BothDatabases]
    public async Task Cell_Viewer_ReadsButCannotSave(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Visible to viewers"
        );
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var contributor = await app.SignedInAsync(org[MemberRole.Contributor]);
        var form = await contributor.GetPageAsync(CellUrl(review.Id));

        var page = await viewer.GetPageAsync(CellUrl(review.Id));
        var token = (await viewer.GetPageAsync("/organisation/switch")).AntiforgeryToken!;
        var post = await viewer.PostAsync(
            CellUrl(review.Id),
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token,
                    ["Items[0].ItemId"] = "human-rights.process.1",
                    ["Items[0].Position"] = "Addressed",
                }
            )
        );

        Assert.Null(page.Find("main form[method=post]"));
        Assert.Contains("Visible to viewers", page.Text, StringComparison.Ordinal);
        Assert.NotNull(form.Find("main form[method=post]"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith(
            "/account/access-denied",
            post.Headers.Location?.PathAndQuery ?? post.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        Assert.Equal(
            Position.Concern,
            await app.QueryAsync(d => d.Answers.Select(a => a.Position).SingleAsync(), org.Id)
        );
    }

    [Theory, BothDatabases]
    public async Task Manage_ArchiveThenReopen_ArchivedReviewIsReadOnlyAndLeavesTheOpenList(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "To be archived");
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var manage = await facilitator.GetPageAsync($"/reviews/{review.Id}/manage");

        var archived = await facilitator.SubmitAndFollowAsync(
            manage,
            formSelector: "form[action*='Archive']"
        );

        Assert.Contains("Review archived", archived.Text, StringComparison.Ordinal);
        Assert.Null((await facilitator.GetPageAsync("/reviews")).Find("#reviews"));
        Assert.NotNull(
            (await facilitator.GetPageAsync("/reviews?status=archived")).Find("#reviews")
        );
        var cell = await facilitator.GetPageAsync(CellUrl(review.Id));
        Assert.Null(cell.Find("main form[method=post]"));

        var reopened = await facilitator.SubmitAndFollowAsync(
            archived,
            formSelector: "form[action*='Reopen']"
        );
        Assert.Contains("Review reopened", reopened.Text, StringComparison.Ordinal);
        Assert.NotNull(
            (await facilitator.GetPageAsync(CellUrl(review.Id))).Find("main form[method=post]")
        );
        var audit = await app.AuditAsync(org.Id);
        Assert.Contains(audit, e => e.Action == "review.archived");
        Assert.Contains(audit, e => e.Action == "review.reopened");
    }

    [Theory, BothDatabases]
    public async Task Delete_OwnerConfirms_RemovesTheReviewAndEverythingInItAndAudits(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Short-lived");
        var other = await app.CreateReviewAsync(org, "Stays");
        await app.AnswerAsync(org, review.Id, "human-rights.process.1", Position.Concern);
        await app.AnswerAsync(org, other.Id, "human-rights.process.1", Position.Concern);
        await app.CreateActionAsync(org, review.Id, "Goes too");
        await app.StartRoundAsync(org, review.Id, "stage.3");
        var owner = await app.SignedInAsync(org.Owner);
        var manage = await owner.GetPageAsync($"/reviews/{review.Id}/manage");

        var unconfirmed = await Html.ToPageAsync(
            await owner.SubmitAsync(manage, formSelector: "form[action*='Delete']"),
            manage.Url
        );
        Assert.Equal(
            ["Tick the box to confirm that you want to delete this review"],
            unconfirmed.ErrorSummary
        );
        var done = await owner.SubmitAndFollowAsync(
            manage,
            new Dictionary<string, string> { ["ConfirmDelete"] = "true" },
            "form[action*='Delete']"
        );

        Assert.Equal("/reviews", done.Url.AbsolutePath);
        Assert.Contains("'Short-lived' deleted", done.Text, StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await owner.GetAsync($"/reviews/{review.Id}")).StatusCode
        );
        Assert.Equal(
            0,
            await app.QueryAsync(d => d.Answers.CountAsync(a => a.ReviewId == review.Id), org.Id)
        );
        Assert.Equal(
            0,
            await app.QueryAsync(d => d.Rounds.CountAsync(a => a.ReviewId == review.Id), org.Id)
        );
        Assert.Equal(
            0,
            await app.QueryAsync(d => d.Actions.CountAsync(a => a.ReviewId == review.Id), org.Id)
        );
        Assert.Equal(
            1,
            await app.QueryAsync(d => d.Answers.CountAsync(a => a.ReviewId == other.Id), org.Id)
        );
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == "review.deleted" && e.EntityId == review.Id.ToString()
        );
    }

    [Theory, BothDatabases]
    public async Task Delete_ByFacilitator_IsDenied(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var token = (
            await facilitator.GetPageAsync($"/reviews/{review.Id}/manage")
        ).AntiforgeryToken!;

        var response = await facilitator.PostAsync(
            $"/reviews/{review.Id}/manage?handler=Delete",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token,
                    ["ConfirmDelete"] = "true",
                }
            )
        );

        Assert.StartsWith(
            "/account/access-denied",
            response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString,
            StringComparison.Ordinal
        );
        Assert.Equal(1, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task ReviewPages_AnotherOrganisationsReview_AreNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync();
        var b = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(a, "Alpha's own review");
        var client = await app.SignedInAsync(b.Owner);

        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}",
                CellUrl(review.Id),
                $"/reviews/{review.Id}/manage",
            }
        )
        {
            var page = await client.GetPageAsync(url, HttpStatusCode.NotFound);
            Assert.DoesNotContain("Alpha's own review", page.Text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(
            "Alpha's own review",
            (await client.GetPageAsync("/reviews?status=all")).Text,
            StringComparison.Ordinal
        );
    }
}
