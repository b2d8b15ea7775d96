using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Workshops;

namespace Peisc.Tests.Workshops;

/// <summary>Live sessions through the pages, as the facilitator, members and guests use them without JavaScript.</summary>
public sealed class WorkshopPagesTests
{
    private const string FirstItem = "overarching.innovation.1";

    [Theory]
    [InlineData(MemberRole.Owner)]
    [InlineData(MemberRole.Facilitator)]
    public async Task StartSession_FacilitatorOrOwner_GetsAConsoleWithAJoinCodeAndIsAudited(
        MemberRole role
    )
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[role]);
        var page = await client.GetPageAsync($"/reviews/{review.Id}/workshops");

        var console = await client.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string> { ["Scope"] = "human-rights.process" }
        );

        var session = await app.QueryAsync(
            d => d.WorkshopSessions.SingleAsync(s => s.ReviewId == review.Id),
            org.Id
        );
        Assert.Equal($"/workshops/{session.Id}", console.Url.AbsolutePath);
        Assert.Matches("^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$", session.JoinCode);
        Assert.Contains(
            WorkshopService.DisplayCode(session.JoinCode),
            console.Text,
            StringComparison.Ordinal
        );
        var cell = ReviewData.Peisc.AllCells.Single(c => c.Id == "human-rights.process");
        Assert.Equal(cell.Items.Select(i => i.Id), session.Items);
        // The framework's own words, verbatim.
        Assert.Contains(cell.Items[0].Text, console.Text, StringComparison.Ordinal);
        Assert.Contains(cell.Question, console.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == "workshop.started" && e.EntityId == session.Id.ToString()
        );
    }

    [Theory]
    [InlineData(MemberRole.Contributor)]
    [InlineData(MemberRole.Viewer)]
    public async Task StartSession_ContributorOrViewer_IsRefused(MemberRole role)
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[role]);
        var page = await client.GetPageAsync($"/reviews/{review.Id}/workshops");
        Assert.Null(page.Find("main form"));
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var form = await facilitator.GetPageAsync($"/reviews/{review.Id}/workshops");

        var response = await client.PostAsync(
            $"/reviews/{review.Id}/workshops",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["Scope"] = "all",
                    ["__RequestVerificationToken"] = page.AntiforgeryToken ?? "",
                }
            )
        );

        Assert.NotNull(form.Find("main form"));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await app.QueryAsync(d => d.WorkshopSessions.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Join_MemberWithTheCode_TakesPartAsThemselves(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var contributor = org[MemberRole.Contributor];
        var client = await app.SignedInAsync(contributor);
        var join = await client.GetPageAsync("/join");

        var page = await client.SubmitAndFollowAsync(
            join,
            new Dictionary<string, string>
            {
                ["Code"] = WorkshopService.DisplayCode(session.JoinCode).ToLowerInvariant(),
            }
        );

        Assert.Equal($"/workshops/{session.Id}/take-part", page.Url.AbsolutePath);
        Assert.Contains($"Taking part as {contributor.Name}", page.Text, StringComparison.Ordinal);
        var participant = await app.QueryAsync(d => d.WorkshopParticipants.SingleAsync(), org.Id);
        Assert.Equal(contributor.Id, participant.UserId);
    }

    [Theory, BothDatabases]
    public async Task Join_WrongOrEndedCode_IsRefusedWithAMessage(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var console = await facilitator.GetPageAsync($"/workshops/{session.Id}");
        await facilitator.SubmitAsync(console, formSelector: "form[action*='handler=End']");
        var guest = app.Browser();

        foreach (var code in new[] { "ZZZZ-ZZZZ", session.JoinCode, "" })
        {
            var join = await guest.GetPageAsync("/join");
            var page = await Html.ToPageAsync(
                await guest.SubmitAsync(join, new Dictionary<string, string> { ["Code"] = code }),
                join.Url
            );
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Single(page.ErrorSummary);
            Assert.Null(page.Find("input[name=Name]"));
        }
        Assert.Equal(0, await app.QueryAsync(d => d.WorkshopParticipants.CountAsync(), org.Id));
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "workshop.ended");
    }

    [Fact]
    public async Task Join_SessionOlderThanTwelveHours_CodeHasExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(Db.Sqlite) { Clock = clock };
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();
        var join = await guest.GetPageAsync("/join");
        var before = await Html.ToPageAsync(
            await guest.SubmitAsync(
                join,
                new Dictionary<string, string> { ["Code"] = session.JoinCode }
            ),
            join.Url
        );

        clock.Advance(TimeSpan.FromHours(12.5));
        var after = await Html.ToPageAsync(
            await guest.SubmitAsync(
                join,
                new Dictionary<string, string> { ["Code"] = session.JoinCode }
            ),
            join.Url
        );

        Assert.NotNull(before.Find("input[name=Name]"));
        Assert.Null(after.Find("input[name=Name]"));
        Assert.Contains(
            "not in use",
            string.Join(" ", after.ErrorSummary),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Guest_JoinsWithAName_SeesTheItemAndSubmits(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();

        var page = await guest.JoinAsGuestAsync(session.JoinCode, "Sam from the parents' group");
        var done = await guest.FollowAsync(
            await guest.SubmitPositionAsync(page, Position.Concern, "Who speaks for the children?"),
            page.Url
        );

        Assert.Equal($"/workshops/{session.Id}/take-part", page.Url.AbsolutePath);
        // The guest's page holds the organisation's data: never cached, like a member's.
        Assert.True(page.Response.Headers.CacheControl?.NoStore);
        Assert.Contains(
            ReviewData.Peisc.AllCells.First().Items[0].Text,
            page.Text,
            StringComparison.Ordinal
        );
        Assert.Contains("Your answer is in", done.Text, StringComparison.Ordinal);
        var participant = await app.QueryAsync(d => d.WorkshopParticipants.SingleAsync(), org.Id);
        Assert.Null(participant.UserId);
        Assert.Equal("Sam from the parents' group", participant.Name);
        var submission = await app.QueryAsync(d => d.WorkshopSubmissions.SingleAsync(), org.Id);
        Assert.Equal(
            (FirstItem, Position.Concern, "Who speaks for the children?"),
            (submission.ItemId, submission.Position, submission.Note)
        );
        Assert.Contains(await app.AuditAsync(org.Id), e => e.Action == "workshop.guest-joined");
    }

    [Theory, BothDatabases]
    public async Task Guest_EveryOtherEndpoint_AsksForSignInOrIsNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var other = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();
        await guest.JoinAsGuestAsync(session.JoinCode, "Guest");
        var endpoints = app
            .Services.GetRequiredService<EndpointDataSource>()
            .Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .ToList();
        string[] open =
        [
            "/",
            "/framework",
            "/framework/{sectionId}/{domainId}",
            "/framework/stages",
            "/framework/print",
            "/setup",
            "/account/sign-in",
            "/account/sign-in/two-factor",
            "/account/sign-out",
            "/account/signed-out",
            "/accessibility",
            "/privacy",
            "/error/{code:int?}",
            "/invitations/{token}",
            "/join",
        ];

        var failures = new List<string>();
        foreach (var pattern in endpoints.Where(p => !open.Contains(p)))
        {
            var url = System.Text.RegularExpressions.Regex.Replace(
                pattern,
                @"\{([a-zA-Z]+)[^}]*\}",
                m =>
                    m.Groups[1].Value switch
                    {
                        "id" => pattern.StartsWith("/workshops/", StringComparison.Ordinal)
                            ? other.Id.ToString()
                            : review.Id.ToString(),
                        "sectionId" => "human-rights",
                        "domainId" => "process",
                        "itemId" => FirstItem,
                        _ => Guid.NewGuid().ToString(),
                    }
            );
            var response = await guest.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var refused =
                response.StatusCode == HttpStatusCode.NotFound
                || (
                    response.StatusCode == HttpStatusCode.Redirect
                    && response.Headers.Location!.OriginalString.Contains(
                        "/account/sign-in",
                        StringComparison.Ordinal
                    )
                );
            if (!refused || body.Contains(review.Title, StringComparison.Ordinal))
            {
                failures.Add($"GET {url} answered {(int)response.StatusCode} to a guest");
            }
        }
        // The hub's other endpoints and the API do not know the guest either.
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await guest.GetAsync("/api/v1/reviews")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await guest.GetAsync($"/workshops/{session.Id}/take-part")).StatusCode
        );
        Assert.True(endpoints.Count > 20, "The walk is not seeing the application's pages.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory, BothDatabases]
    public async Task Submit_Again_ReplacesTheParticipantsOwnAndTheTallyCountsEachPersonOnce(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();
        var member = await app.SignedInAsync(org[MemberRole.Viewer]);
        var guestPage = await guest.JoinAsGuestAsync(session.JoinCode, "Robin");
        var memberPage = await member.GetPageAsync($"/workshops/{session.Id}/take-part");

        await guest.SubmitPositionAsync(guestPage, Position.Concern, "First thought");
        await guest.SubmitPositionAsync(guestPage, Position.Addressed, "Second thought");
        await member.SubmitPositionAsync(memberPage, Position.Addressed);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var projector = await facilitator.GetPageAsync($"/workshops/{session.Id}/projector");

        Assert.Equal(2, await app.QueryAsync(d => d.WorkshopSubmissions.CountAsync(), org.Id));
        Assert.Equal("2", projector.Find("td[data-position=Addressed]")!.TextContent);
        Assert.Equal("0", projector.Find("td[data-position=Concern]")!.TextContent);
        Assert.Contains("Second thought", projector.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("First thought", projector.Text, StringComparison.Ordinal);
        // The shared screen shows notes without names; the console shows who said what.
        Assert.DoesNotContain("Robin", projector.Text, StringComparison.Ordinal);
        Assert.Contains(
            "Robin",
            (await facilitator.GetPageAsync($"/workshops/{session.Id}")).Text,
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Submit_LongNoteNoPositionOrAnOldItem_IsRefusedAndKeepsWhatWasTyped(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();
        var page = await guest.JoinAsGuestAsync(session.JoinCode, "Robin");

        var tooLong = await Html.ToPageAsync(
            await guest.SubmitPositionAsync(page, Position.Concern, new string('x', 281)),
            page.Url
        );
        var noPosition = await Html.ToPageAsync(
            await guest.SubmitAsync(
                page,
                new Dictionary<string, string> { ["Note"] = "Kept" },
                "main form"
            ),
            page.Url
        );
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        await facilitator.SubmitAsync(
            await facilitator.GetPageAsync($"/workshops/{session.Id}"),
            formSelector: "form[action*='handler=Go']"
        );
        var stale = await Html.ToPageAsync(
            await guest.SubmitPositionAsync(page, Position.Concern),
            page.Url
        );

        Assert.Equal(["Your note must be 280 characters or fewer"], tooLong.ErrorSummary);
        Assert.Equal(new string('x', 281), tooLong.Find("textarea[name=Note]")!.TextContent.Trim());
        Assert.Equal(["Select where you stand on this item"], noPosition.ErrorSummary);
        Assert.Equal("Kept", noPosition.Find("textarea[name=Note]")!.TextContent.Trim());
        Assert.Contains(
            "moved to another item",
            string.Join(" ", stale.ErrorSummary),
            StringComparison.Ordinal
        );
        Assert.Equal(0, await app.QueryAsync(d => d.WorkshopSubmissions.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task NextItem_Facilitator_MovesEveryScreenAndPreviousComesBack(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var guest = app.Browser();
        await guest.JoinAsGuestAsync(session.JoinCode, "Robin");
        var items = ReviewData.Peisc.AllCells.SelectMany(c => c.Items).ToList();

        var console = await facilitator.GetPageAsync($"/workshops/{session.Id}");
        Assert.Equal(
            ["Next item"],
            console.FindAll("form[action*='handler=Go'] button").Select(b => b.TextContent.Trim())
        );
        var moved = await facilitator.SubmitAndFollowAsync(
            console,
            formSelector: "form[action*='handler=Go']"
        );
        var participant = await guest.GetPageAsync($"/workshops/{session.Id}/take-part");
        var projector = await facilitator.GetPageAsync($"/workshops/{session.Id}/projector");
        var back = await facilitator.SubmitAndFollowAsync(
            moved,
            formSelector: "form[action*='handler=Go']"
        );

        Assert.Contains("Item 2 of", moved.Text, StringComparison.Ordinal);
        Assert.Contains(items[1].Text, participant.Text, StringComparison.Ordinal);
        Assert.Contains(items[1].Text, projector.Text, StringComparison.Ordinal);
        Assert.Contains("Item 1 of", back.Text, StringComparison.Ordinal);
        Assert.Equal(0, (await app.WorkshopAsync(session.Id)).CurrentIndex);
    }

    [Theory, BothDatabases]
    public async Task AgreedPosition_Saved_IsTheReviewsAnswerWithHistoryAndAudit(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        await app.AnswerAsync(
            org,
            review.Id,
            FirstItem,
            Position.PartlyAddressed,
            "Earlier view",
            Voices.Families
        );
        var session = await app.StartWorkshopAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var console = await facilitator.GetPageAsync($"/workshops/{session.Id}");

        var saved = await facilitator.SubmitAndFollowAsync(
            console,
            new Dictionary<string, string>
            {
                ["Agree.Position"] = "Concern",
                ["Agree.Reasoning"] = "The room agreed consent is unclear",
            },
            "form[action*='handler=Agree']"
        );
        var stale = await Html.ToPageAsync(
            await facilitator.SubmitAsync(
                console,
                new Dictionary<string, string> { ["Agree.Position"] = "Addressed" },
                "form[action*='handler=Agree']"
            ),
            console.Url
        );

        Assert.Contains("saved to the review", saved.Text, StringComparison.Ordinal);
        var answer = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ItemId == FirstItem),
            org.Id
        );
        Assert.Equal(
            (Position.Concern, "The room agreed consent is unclear", Voices.Families, 2),
            (answer.Position, answer.Reasoning, answer.Voices, answer.Version)
        );
        var history = await app.QueryAsync(
            d =>
                d.AnswerChanges.Where(c => c.ItemId == FirstItem)
                    .OrderBy(c => c.Version)
                    .Select(c => c.Position)
                    .ToListAsync(),
            org.Id
        );
        Assert.Equal([Position.PartlyAddressed, Position.Concern], history);
        Assert.Contains(
            "Someone else saved this item",
            string.Join(" ", stale.ErrorSummary),
            StringComparison.Ordinal
        );
        Assert.Equal(
            2,
            (
                await app.QueryAsync(d => d.Answers.SingleAsync(a => a.ItemId == FirstItem), org.Id)
            ).Version
        );
        Assert.Single(await app.AuditAsync(org.Id), e => e.Action == "workshop.position-agreed");
    }

    [Theory, BothDatabases]
    public async Task Timer_StartedAndStopped_ShowsOnEveryScreen(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var guest = app.Browser();
        await guest.JoinAsGuestAsync(session.JoinCode, "Robin");
        var console = await facilitator.GetPageAsync($"/workshops/{session.Id}");

        await facilitator.SubmitAsync(
            console,
            new Dictionary<string, string> { ["minutes"] = "5" },
            "form[action*='handler=Timer']"
        );
        var running = await guest.GetPageAsync($"/workshops/{session.Id}/take-part");
        var projector = await facilitator.GetPageAsync($"/workshops/{session.Id}/projector");
        await facilitator.SubmitAsync(console, formSelector: "form[action*='handler=StopTimer']");
        var stopped = await guest.GetPageAsync($"/workshops/{session.Id}/take-part");

        Assert.Matches(@"Time left: [45]:\d\d", running.Text);
        Assert.NotNull(projector.Find("[data-timer-ends]"));
        Assert.Null(stopped.Find("[data-timer-ends]"));
    }

    [Theory, BothDatabases]
    public async Task SessionPages_AnotherOrganisationsMember_GetsNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync("Alpha");
        var other = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var outsider = await app.SignedInAsync(other.Owner);

        foreach (
            var url in new[]
            {
                $"/workshops/{session.Id}",
                $"/workshops/{session.Id}/projector",
                $"/workshops/{session.Id}/take-part",
                $"/reviews/{review.Id}/workshops",
            }
        )
        {
            var response = await outsider.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(
                session.JoinCode,
                await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }
        Assert.Equal(0, await app.QueryAsync(d => d.WorkshopParticipants.CountAsync(), org.Id));
    }

    [Fact]
    public async Task Console_ContributorOrGuest_IsRefused()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var contributor = await app.SignedInAsync(org[MemberRole.Contributor]);
        var guest = app.Browser();
        await guest.JoinAsGuestAsync(session.JoinCode, "Robin");

        var asContributor = await contributor.GetAsync($"/workshops/{session.Id}");
        var asGuest = await guest.GetAsync($"/workshops/{session.Id}");
        var projectorAsGuest = await guest.GetAsync($"/workshops/{session.Id}/projector");

        Assert.StartsWith(
            "/account/access-denied",
            asContributor.LocationPath(),
            StringComparison.Ordinal
        );
        Assert.StartsWith("/account/sign-in", asGuest.LocationPath(), StringComparison.Ordinal);
        Assert.StartsWith(
            "/account/sign-in",
            projectorAsGuest.LocationPath(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Join_ManyWrongCodesFromOneAddress_AreRefusedEvenTheRightOneForAWhile()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guesser = app.Browser();
        var join = await guesser.GetPageAsync("/join");

        for (var i = 0; i < JoinAttempts.Limit; i++)
        {
            await guesser.SubmitAsync(
                join,
                new Dictionary<string, string> { ["Code"] = "ZZZZ-ZZZZ" }
            );
        }
        var refused = await Html.ToPageAsync(
            await guesser.SubmitAsync(
                join,
                new Dictionary<string, string> { ["Code"] = session.JoinCode }
            ),
            join.Url
        );

        Assert.Contains(
            "Too many codes",
            string.Join(" ", refused.ErrorSummary),
            StringComparison.Ordinal
        );
        Assert.Null(refused.Find("input[name=Name]"));
    }

    [Theory, BothDatabases]
    public async Task Submit_TenAtOnceBySamePerson_KeepsOneAnswerAndNeverFails(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var guest = app.Browser();
        var page = await guest.JoinAsGuestAsync(session.JoinCode, "Robin");

        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 10)
                .Select(i => guest.SubmitPositionAsync(page, Position.Concern, $"Tap {i}"))
        );

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var submissions = await app.QueryAsync(d => d.WorkshopSubmissions.ToListAsync(), org.Id);
        Assert.Single(submissions);
        Assert.StartsWith("Tap ", submissions[0].Note, StringComparison.Ordinal);
    }
}
