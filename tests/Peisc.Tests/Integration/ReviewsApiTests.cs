using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>The reviews API (issue 3 items 7, 8 and 10), through the real host with personal access tokens.</summary>
public sealed class ReviewsApiTests
{
    private static readonly int ItemCount = ReviewData.Peisc.AllCells.Sum(c => c.Items.Count);

    public static object NewReview(string title = "Family group conferencing pilot") =>
        new
        {
            title,
            innovation = "A pilot of family group conferencing before care proceedings.",
            serviceArea = "Children",
            situationId = "situation.2",
            stageId = "stage.2",
            partners = "Northshire NHS Trust",
        };

    [Theory, BothDatabases]
    public async Task Journey_CreateAnswerActStartRoundAndReadBothRounds(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var facilitator = await app.ApiClientAsync(org, MemberRole.Facilitator);
        var contributor = await app.ApiClientAsync(org, MemberRole.Contributor);

        // Start a review.
        var createdResponse = await facilitator.PostJsonAsync("/api/v1/reviews", NewReview());
        var created = await createdResponse.JsonAsync(HttpStatusCode.Created);
        var id = created.Text("id");
        var url = $"/api/v1/reviews/{id}";
        Assert.Equal(url, createdResponse.Headers.Location!.OriginalString);
        Assert.Equal("Family group conferencing pilot", created.Text("title"));
        Assert.Equal("Children", created.Text("serviceArea"));
        Assert.Equal("stage.2", created.Text("stageId"));
        Assert.Equal("peisc", created.Text("editionId"));
        Assert.Equal(1, created.Number("currentRound"));
        Assert.Equal(ItemCount, created.Number("itemCount"));
        Assert.EndsWith("Z", created.Text("createdAt"), StringComparison.Ordinal);

        var list = await (await contributor.GetAsync("/api/v1/reviews")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal(1, list.Number("totalCount"));
        Assert.Equal(id, list.GetProperty("items")[0].Text("id"));

        // Every item starts not yet considered, at version 0.
        var blank = await (await contributor.GetAsync($"{url}/answers")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal(1, blank.Number("round"));
        Assert.Equal(ItemCount, blank.GetProperty("answers").GetArrayLength());
        Assert.All(
            blank.GetProperty("answers").EnumerateArray(),
            a =>
            {
                Assert.Equal("NotYetConsidered", a.Text("position"));
                Assert.Equal(0, a.Number("version"));
            }
        );

        // Answer items in two cells.
        var first = await (
            await contributor.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new
                {
                    position = "Concern",
                    reasoning = "Families were not told how their data is used.",
                    voices = new List<string> { "Families", "Carers" },
                    version = 0,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, first.Number("version"));
        Assert.Equal("human-rights.process", first.Text("cellId"));
        Assert.Equal(
            ["Families", "Carers"],
            first.GetProperty("voices").EnumerateArray().Select(v => v.GetString())
        );
        await (
            await contributor.PutJsonAsync(
                $"{url}/answers/social-justice.outcomes.2",
                new
                {
                    position = "NotApplicable",
                    notApplicableReason = "No outcomes yet at this stage.",
                    version = 0,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);
        var addressed = await (
            await contributor.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new
                {
                    position = "Addressed",
                    reasoning = "A leaflet now explains it.",
                    evidence = "Leaflet v2",
                    voices = new List<string> { "Families" },
                    version = 1,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, addressed.Number("version"));

        // Raise an action and move it on.
        var actionResponse = await contributor.PostJsonAsync(
            $"{url}/actions",
            new
            {
                title = "Ask the family reference group about the leaflet",
                ownerUserId = org[MemberRole.Contributor].Id,
                dueDate = "2030-01-31",
                itemIds = new List<string> { "human-rights.process.1" },
            }
        );
        var action = await actionResponse.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Open", action.Text("status"));
        Assert.Equal(org[MemberRole.Contributor].Name, action.Text("ownerName"));
        Assert.Equal("2030-01-31", action.Text("dueDate"));
        Assert.Equal(1, action.Number("version"));
        var moved = await (
            await contributor.PutJsonAsync(
                $"{url}/actions/{action.Text("id")}",
                new
                {
                    title = "Ask the family reference group about the leaflet",
                    ownerName = "Sam Named",
                    dueDate = "2030-02-28",
                    status = "InProgress",
                    itemIds = new List<string>
                    {
                        "human-rights.process.1",
                        "social-justice.outcomes.2",
                    },
                    version = 1,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, moved.Number("version"));
        Assert.Equal("Sam Named", moved.Text("ownerName"));
        Assert.Equal(JsonValueKind.Null, moved.GetProperty("ownerUserId").ValueKind);

        var progress = await (await contributor.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, progress.Number("consideredCount"));
        Assert.Equal(0, progress.Number("concernCount"));

        // The innovation moves on: a second round at stage 3.
        var round = await (
            await facilitator.PostJsonAsync($"{url}/rounds", new { stageId = "stage.3" })
        ).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, round.Number("number"));
        Assert.True(round.GetProperty("current").GetBoolean());
        var rounds = await (await contributor.GetAsync($"{url}/rounds")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal(2, rounds.GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, rounds[0].GetProperty("frozenAt").ValueKind);
        Assert.False(rounds[0].GetProperty("current").GetBoolean());
        Assert.Equal("stage.3", rounds[1].Text("stageId"));

        // Carried forward, then changed in round 2 only.
        var carried = await (
            await contributor.GetAsync($"{url}/answers/human-rights.process.1")
        ).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Addressed", carried.Text("position"));
        await (
            await contributor.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new
                {
                    position = "Concern",
                    reasoning = "The new provider has not seen the leaflet.",
                    version = carried.Number("version"),
                }
            )
        ).JsonAsync(HttpStatusCode.OK);

        var roundOne = await (await contributor.GetAsync($"{url}/answers?round=1")).JsonAsync(
            HttpStatusCode.OK
        );
        var roundTwo = await (await contributor.GetAsync($"{url}/answers")).JsonAsync(
            HttpStatusCode.OK
        );
        JsonElement Item(JsonElement sheet, string itemId) =>
            sheet.GetProperty("answers").EnumerateArray().Single(a => a.Text("itemId") == itemId);
        Assert.True(roundOne.GetProperty("frozen").GetBoolean());
        Assert.Equal("stage.2", roundOne.Text("stageId"));
        Assert.Equal("Addressed", Item(roundOne, "human-rights.process.1").Text("position"));
        Assert.Equal(
            "A leaflet now explains it.",
            Item(roundOne, "human-rights.process.1").Text("reasoning")
        );
        Assert.Equal("NotApplicable", Item(roundOne, "social-justice.outcomes.2").Text("position"));
        Assert.Equal(2, roundTwo.Number("round"));
        Assert.False(roundTwo.GetProperty("frozen").GetBoolean());
        Assert.Equal("Concern", Item(roundTwo, "human-rights.process.1").Text("position"));
        Assert.Equal("NotApplicable", Item(roundTwo, "social-justice.outcomes.2").Text("position"));
        var single = await (
            await contributor.GetAsync($"{url}/answers/human-rights.process.1?round=1")
        ).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Addressed", single.Text("position"));

        var actions = await (await contributor.GetAsync($"{url}/actions")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal("InProgress", Assert.Single(actions.EnumerateArray()).Text("status"));
        var audit = (await app.AuditAsync(org.Id)).Select(e => e.Action).ToList();
        Assert.Contains("review.created", audit);
        Assert.Equal(4, audit.Count(a => a == "answer.saved"));
        Assert.Contains("action.created", audit);
        Assert.Contains("action.updated", audit);
        Assert.Contains("round.started", audit);
    }

    [Theory, BothDatabases]
    public async Task SaveAnswer_StaleVersion_AnswersConflictWithTheCurrentAnswer(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var url = $"/api/v1/reviews/{review.Id}/answers/overarching.process.2";
        var one = await app.ApiClientAsync(org, MemberRole.Contributor);
        var other = await app.ApiClientAsync(org, MemberRole.Facilitator);
        await (
            await one.PutJsonAsync(
                url,
                new
                {
                    position = "PartlyAddressed",
                    reasoning = "First text",
                    version = 0,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);

        var response = await other.PutJsonAsync(
            url,
            new
            {
                position = "Concern",
                reasoning = "Second text",
                version = 0,
            }
        );

        var problem = await response.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(409, problem.Number("status"));
        var current = problem.GetProperty("current");
        Assert.Equal("First text", current.Text("reasoning"));
        Assert.Equal("PartlyAddressed", current.Text("position"));
        Assert.Equal(1, current.Number("version"));
        var stored = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ItemId == "overarching.process.2"),
            org.Id
        );
        Assert.Equal("First text", stored.Reasoning);
        Assert.Equal(1, stored.Version);
    }

    [Theory, BothDatabases]
    public async Task UpdateAction_StaleVersion_AnswersConflictWithTheCurrentAction(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(org, review.Id, "Write the privacy notice");
        var api = await app.ApiClientAsync(org, MemberRole.Contributor);
        var url = $"/api/v1/reviews/{review.Id}/actions/{action.Id}";
        await (
            await api.PutJsonAsync(
                url,
                new
                {
                    title = "Write the privacy notice with families",
                    ownerName = "Alex Named",
                    status = "InProgress",
                    version = 1,
                }
            )
        ).JsonAsync(HttpStatusCode.OK);

        var response = await api.PutJsonAsync(
            url,
            new
            {
                title = "Drop it",
                ownerName = "Alex Named",
                status = "Dropped",
                version = 1,
            }
        );

        var problem = await response.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "Write the privacy notice with families",
            problem.GetProperty("current").Text("title")
        );
        Assert.Equal(2, problem.GetProperty("current").Number("version"));
        Assert.Equal(
            ActionStatus.InProgress,
            await app.QueryAsync(
                d => d.Actions.Where(a => a.Id == action.Id).Select(a => a.Status).SingleAsync(),
                org.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task InvalidInput_AnswersBadRequestWithErrorsByField(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var url = $"/api/v1/reviews/{review.Id}";
        var api = await app.ApiClientAsync(org, MemberRole.Facilitator);

        async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
        {
            var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(
                "application/problem+json",
                response.Content.Headers.ContentType?.MediaType
            );
            return problem.GetProperty("errors");
        }

        var create = await ErrorsAsync(
            await api.PostJsonAsync(
                "/api/v1/reviews",
                new
                {
                    title = " ",
                    innovation = new string('x', ReviewLimits.LongText + 1),
                    serviceArea = "Adults",
                    situationId = "situation.9",
                    stageId = "stage.99",
                }
            )
        );
        Assert.Equal(["Enter a title for the review"], Messages(create, "title"));
        Assert.Equal(
            ["The description of the innovation must be 5,000 characters or fewer"],
            Messages(create, "innovation")
        );
        Assert.Equal(["Select the situation your team is in"], Messages(create, "situationId"));
        Assert.Equal(["Select the stage the innovation is at"], Messages(create, "stageId"));

        var answer = await ErrorsAsync(
            await api.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new { position = "NotApplicable", reasoning = new string('r', 5001) }
            )
        );
        Assert.Equal(["Say why this item does not apply"], Messages(answer, "notApplicableReason"));
        Assert.Equal(
            ["Reasoning must be 5,000 characters or fewer"],
            Messages(answer, "reasoning")
        );
        Assert.True(answer.TryGetProperty("version", out _));
        var noPosition = await ErrorsAsync(
            await api.PutJsonAsync($"{url}/answers/human-rights.process.1", new { version = 0 })
        );
        Assert.Equal(["Select where the team stands"], Messages(noPosition, "position"));

        var action = await ErrorsAsync(
            await api.PostJsonAsync(
                $"{url}/actions",
                new
                {
                    title = "",
                    ownerUserId = other.Owner.Id,
                    dueDate = "1999-12-31",
                    itemIds = new List<string> { "no-such.item.1" },
                }
            )
        );
        Assert.Equal(["Enter what needs to be done"], Messages(action, "title"));
        Assert.True(action.TryGetProperty("ownerUserId", out _));
        Assert.True(action.TryGetProperty("dueDate", out _));
        Assert.True(action.TryGetProperty("itemIds", out _));

        var round = await ErrorsAsync(
            await api.PostJsonAsync($"{url}/rounds", new { stageId = "stage.0" })
        );
        Assert.Equal(["Select the stage the innovation is at"], Messages(round, "stageId"));

        var paging = await ErrorsAsync(await api.GetAsync("/api/v1/reviews?page=0&pageSize=101"));
        Assert.True(paging.TryGetProperty("page", out _));
        Assert.True(paging.TryGetProperty("pageSize", out _));

        // Malformed JSON and unknown enum names are refused too, never a 5xx.
        var malformed = await api.PostAsync(
            "/api/v1/reviews",
            new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json")
        );
        var unknownPosition = await api.PutJsonAsync(
            $"{url}/answers/human-rights.process.1",
            new { position = "Maybe", version = 0 }
        );
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownPosition.StatusCode);

        Assert.Equal(1, await app.QueryAsync(d => d.Reviews.CountAsync(), org.Id));
        Assert.Equal(0, await app.QueryAsync(d => d.Answers.CountAsync(), org.Id));
        Assert.Equal(0, await app.QueryAsync(d => d.Actions.CountAsync(), org.Id));
    }

    public static TheoryData<Db, MemberRole> RolesOnBothDatabases()
    {
        var data = new TheoryData<Db, MemberRole>();
        foreach (var db in new[] { Db.Sqlite, Db.Postgres })
        {
            foreach (
                var role in new[]
                {
                    MemberRole.Owner,
                    MemberRole.Facilitator,
                    MemberRole.Contributor,
                    MemberRole.Viewer,
                }
            )
            {
                data.Add(db, role);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(RolesOnBothDatabases))]
    public async Task EveryOperation_ByRole_FollowsThePolicyTable(Db db, MemberRole role)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var action = await app.CreateActionAsync(org, review.Id, "Check consent forms");
        var api = await app.ApiClientAsync(org, role);
        var url = $"/api/v1/reviews/{review.Id}";
        var facilitates = role >= MemberRole.Facilitator;
        var contributes = role >= MemberRole.Contributor;

        var table = new List<(string Name, Func<Task<HttpResponseMessage>> Call, HttpStatusCode)>
        {
            ("list", () => api.GetAsync("/api/v1/reviews"), HttpStatusCode.OK),
            ("read", () => api.GetAsync(url), HttpStatusCode.OK),
            ("rounds", () => api.GetAsync($"{url}/rounds"), HttpStatusCode.OK),
            ("answers", () => api.GetAsync($"{url}/answers"), HttpStatusCode.OK),
            (
                "answer",
                () => api.GetAsync($"{url}/answers/human-rights.process.1"),
                HttpStatusCode.OK
            ),
            ("actions", () => api.GetAsync($"{url}/actions"), HttpStatusCode.OK),
            (
                "save answer",
                () =>
                    api.PutJsonAsync(
                        $"{url}/answers/human-rights.process.1",
                        new { position = "Addressed", version = 0 }
                    ),
                contributes ? HttpStatusCode.OK : HttpStatusCode.Forbidden
            ),
            (
                "raise action",
                () => api.PostJsonAsync($"{url}/actions", new { title = "Ask the carers' forum" }),
                contributes ? HttpStatusCode.Created : HttpStatusCode.Forbidden
            ),
            (
                "change action",
                () =>
                    api.PutJsonAsync(
                        $"{url}/actions/{action.Id}",
                        new
                        {
                            title = "Check consent forms",
                            status = "Done",
                            version = 1,
                        }
                    ),
                contributes ? HttpStatusCode.OK : HttpStatusCode.Forbidden
            ),
            (
                "change details",
                () => api.PutJsonAsync(url, NewReview("Renamed")),
                facilitates ? HttpStatusCode.OK : HttpStatusCode.Forbidden
            ),
            (
                "start review",
                () => api.PostJsonAsync("/api/v1/reviews", NewReview()),
                facilitates ? HttpStatusCode.Created : HttpStatusCode.Forbidden
            ),
            (
                "start round",
                () => api.PostJsonAsync($"{url}/rounds", new { stageId = "stage.3" }),
                facilitates ? HttpStatusCode.Created : HttpStatusCode.Forbidden
            ),
        };

        var failures = new List<string>();
        foreach (var (name, call, expected) in table)
        {
            var response = await call();
            if (response.StatusCode != expected)
            {
                failures.Add(
                    $"{role} {name}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
                );
            }
            else if (expected == HttpStatusCode.Forbidden)
            {
                var problem = await response.JsonAsync();
                Assert.Equal(
                    "application/problem+json",
                    response.Content.Headers.ContentType?.MediaType
                );
                Assert.Equal(403, problem.Number("status"));
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var denied = (await app.AuditAsync(org.Id)).Count(e => e.Action == "access.denied");
        Assert.Equal(table.Count(t => t.Item3 == HttpStatusCode.Forbidden), denied);
    }

    [Theory, BothDatabases]
    public async Task OtherOrganisationsReview_AnswersNotFoundAndChangesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha", roles: [MemberRole.Owner]);
        var b = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Owner]);
        var canary = "CANARY-B-" + Guid.NewGuid();
        var theirs = await app.CreateReviewAsync(b, canary);
        await app.AnswerAsync(b, theirs.Id, "human-rights.process.1", Position.Concern, canary);
        var theirAction = await app.CreateActionAsync(b, theirs.Id, canary);
        var api = await app.ApiClientAsync(a, MemberRole.Owner);
        var url = $"/api/v1/reviews/{theirs.Id}";
        Task<string> SnapshotAsync() =>
            app.QueryAsync(
                async d =>
                    string.Join(
                        "|",
                        await d
                            .Reviews.Select(r => $"{r.Id}:{r.Title}:{r.CurrentRoundNumber}")
                            .ToListAsync(),
                        await d.Answers.Select(x => $"{x.Id}:{x.Version}").ToListAsync(),
                        await d.Actions.Select(x => $"{x.Id}:{x.Version}").ToListAsync()
                    ),
                b.Id
            );
        var before = await SnapshotAsync();

        var responses = new[]
        {
            await api.GetAsync(url),
            await api.GetAsync($"{url}/rounds"),
            await api.GetAsync($"{url}/answers"),
            await api.GetAsync($"{url}/answers?round=1"),
            await api.GetAsync($"{url}/answers/human-rights.process.1"),
            await api.GetAsync($"{url}/actions"),
            await api.PutJsonAsync(url, NewReview("Taken over")),
            await api.PostJsonAsync($"{url}/rounds", new { stageId = "stage.3" }),
            await api.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new { position = "Addressed", version = 1 }
            ),
            await api.PostJsonAsync($"{url}/actions", new { title = "Sneaky" }),
            await api.PutJsonAsync(
                $"{url}/actions/{theirAction.Id}",
                new
                {
                    title = "Sneaky",
                    status = "Dropped",
                    version = 1,
                }
            ),
        };

        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(
                response.StatusCode == HttpStatusCode.NotFound,
                $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}"
            );
            Assert.Equal(
                "application/problem+json",
                response.Content.Headers.ContentType?.MediaType
            );
            Assert.DoesNotContain(canary, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Beta", body, StringComparison.Ordinal);
        }
        var list = await (await api.GetAsync("/api/v1/reviews")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.Number("totalCount"));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory, BothDatabases]
    public async Task CreateReview_ExtraFields_ChangeNothingTheyShouldNot(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var other = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var api = await app.ApiClientAsync(org, MemberRole.Facilitator);
        var forcedId = Guid.NewGuid();

        var created = await (
            await api.PostJsonAsync(
                "/api/v1/reviews",
                new
                {
                    id = forcedId,
                    organisationId = other.Id,
                    createdByUserId = other.Owner.Id,
                    title = "Extra fields",
                    innovation = "Testing A5.",
                    serviceArea = "Adults",
                    situationId = "situation.1",
                    stageId = "stage.1",
                    editionId = "someone-elses",
                    currentRound = 7,
                    consideredCount = 50,
                    version = 9,
                }
            )
        ).JsonAsync(HttpStatusCode.Created);

        var id = Guid.Parse(created.Text("id"));
        Assert.NotEqual(forcedId, id);
        var review = await app.QueryAsync(d => d.Reviews.SingleAsync(r => r.Id == id), org.Id);
        Assert.Equal(org.Id, review.OrganisationId);
        Assert.Equal(org[MemberRole.Facilitator].Id, review.CreatedByUserId);
        Assert.Equal("peisc", review.EditionId);
        Assert.Equal(1, review.CurrentRoundNumber);
        Assert.Equal(0, review.ConsideredCount);
        Assert.Equal(0, await app.QueryAsync(d => d.Reviews.CountAsync(), other.Id));
    }

    [Theory, BothDatabases]
    public async Task ListReviews_FiltersByStageAndArchivedAndPages(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        for (var i = 0; i < 3; i++)
        {
            await app.CreateReviewAsync(org, $"Stage two {i}");
        }
        await app.CreateReviewAsync(org, "Stage four", stageId: "stage.4");
        var archived = await app.CreateReviewAsync(org, "Archived one");
        await app.AsMemberAsync(
            org,
            org[MemberRole.Facilitator],
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.SingleAsync(r => r.Id == archived.Id);
                await sp.GetRequiredService<ReviewService>().SetArchivedAsync(review, true);
                return review;
            }
        );
        var api = await app.ApiClientAsync(org, MemberRole.Facilitator);

        async Task<List<string>> TitlesAsync(string query) =>
            (await (await api.GetAsync("/api/v1/reviews" + query)).JsonAsync(HttpStatusCode.OK))
                .GetProperty("items")
                .EnumerateArray()
                .Select(r => r.Text("title"))
                .ToList();

        Assert.Equal(5, (await TitlesAsync("")).Count);
        Assert.Equal(["Stage four"], await TitlesAsync("?stage=stage.4"));
        Assert.Equal(["Archived one"], await TitlesAsync("?archived=true"));
        Assert.Equal(4, (await TitlesAsync("?archived=false")).Count);
        var pageOne = await (await api.GetAsync("/api/v1/reviews?pageSize=2&page=1")).JsonAsync(
            HttpStatusCode.OK
        );
        var pageThree = await TitlesAsync("?pageSize=2&page=3");
        Assert.Equal(5, pageOne.Number("totalCount"));
        Assert.Equal(2, pageOne.GetProperty("items").GetArrayLength());
        Assert.Single(pageThree);
        var all = (await TitlesAsync("?pageSize=2&page=1"))
            .Concat(await TitlesAsync("?pageSize=2&page=2"))
            .Concat(pageThree);
        Assert.Equal(5, all.Distinct().Count());
    }

    [Theory, BothDatabases]
    public async Task ArchivedReview_RefusesChangesButCanBeRead(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        await app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var tracked = await db.Reviews.SingleAsync(r => r.Id == review.Id);
                await sp.GetRequiredService<ReviewService>().SetArchivedAsync(tracked, true);
                return tracked;
            }
        );
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var url = $"/api/v1/reviews/{review.Id}";

        var answer = await api.PutJsonAsync(
            $"{url}/answers/human-rights.process.1",
            new { position = "Addressed", version = 0 }
        );
        var action = await api.PostJsonAsync($"{url}/actions", new { title = "Late idea" });
        var round = await api.PostJsonAsync($"{url}/rounds", new { stageId = "stage.3" });
        var read = await (await api.GetAsync(url)).JsonAsync(HttpStatusCode.OK);

        Assert.True(
            (await answer.JsonAsync(HttpStatusCode.BadRequest))
                .GetProperty("errors")
                .TryGetProperty("round", out _)
        );
        Assert.True(
            (await action.JsonAsync(HttpStatusCode.BadRequest))
                .GetProperty("errors")
                .TryGetProperty("review", out _)
        );
        Assert.Equal(HttpStatusCode.BadRequest, round.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("archivedAt").ValueKind);
    }

    [Theory, BothDatabases]
    public async Task UnknownItemOrRound_AnswersNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var url = $"/api/v1/reviews/{review.Id}";

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await api.GetAsync($"{url}/answers/no.such.1")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await api.GetAsync($"{url}/answers?round=2")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await api.PutJsonAsync(
                    $"{url}/answers/no.such.1",
                    new { position = "Addressed", version = 0 }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await api.PutJsonAsync(
                    $"{url}/actions/{Guid.NewGuid()}",
                    new
                    {
                        title = "x",
                        status = "Open",
                        version = 1,
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await api.GetAsync($"/api/v1/reviews/{Guid.NewGuid()}")).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task BodyThatIsNotJson_AnswersUnsupportedMediaTypeAndSavesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var url = $"/api/v1/reviews/{review.Id}";
        var item = ReviewData.Peisc.AllCells.First().Items[0].Id;

        // An item id holds dots, like a file name: the answer must still be "send JSON", not
        // "sign in", for a caller whose token is good.
        foreach (
            var (path, method) in new[]
            {
                ($"{url}/answers/{item}", HttpMethod.Put),
                ("/api/v1/reviews", HttpMethod.Post),
            }
        )
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = new FormUrlEncodedContent([
                    new("position", "Addressed"),
                    new("version", "0"),
                ]),
            };
            var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal(
                "application/problem+json",
                response.Content.Headers.ContentType?.MediaType
            );
            Assert.Contains(
                "application/json",
                await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }

        var answer = await (await api.GetAsync($"{url}/answers/{item}")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal(0, answer.Number("version"));
        var list = await (await api.GetAsync("/api/v1/reviews")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.Number("totalCount"));

        // An address nobody answers is still "not found", file-like or not, with or without a body.
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await api.GetAsync("/api/v1/nothing.here")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await api.PutJsonAsync(
                    $"{url}/answers/no.such.1",
                    new { position = "Addressed", version = 0 }
                )
            ).StatusCode
        );
    }

    [Theory, BothDatabases]
    public async Task TextHoldingNul_IsRefusedNamingEachFieldAndSavesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var api = await app.ApiClientAsync(org, MemberRole.Owner);
        var url = $"/api/v1/reviews/{review.Id}";

        // PostgreSQL cannot store NUL: a client that sends one is told where, on both databases.
        var answer = await (
            await api.PutJsonAsync(
                $"{url}/answers/human-rights.process.1",
                new
                {
                    position = "Concern",
                    reasoning = "Families\0 were not told.",
                    evidence = "A survey",
                    dissent = "\0",
                    version = 0,
                }
            )
        ).JsonAsync(HttpStatusCode.BadRequest);
        var action = await (
            await api.PostJsonAsync(
                $"{url}/actions",
                new
                {
                    title = "Ask the families",
                    ownerUserId = org[MemberRole.Owner].Id,
                    itemIds = new List<string> { "human-rights.process.1\0" },
                }
            )
        ).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(
            ["dissent", "reasoning"],
            answer.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order()
        );
        Assert.Equal(
            ["itemIds"],
            action.GetProperty("errors").EnumerateObject().Select(e => e.Name)
        );
        var saved = await (await api.GetAsync($"{url}/answers/human-rights.process.1")).JsonAsync(
            HttpStatusCode.OK
        );
        Assert.Equal(0, saved.Number("version"));
        Assert.Equal(0, await app.QueryAsync(d => d.Actions.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task OpenApiDocument_ListsTheReviewsApiWithItsTokenScheme(Db db)
    {
        await using var app = new TestApp(db);

        var document = await (await app.Browser().GetAsync("/openapi/v1.json")).JsonAsync(
            HttpStatusCode.OK
        );

        var paths = document.GetProperty("paths");
        foreach (
            var (path, methods) in new[]
            {
                ("/api/v1/reviews", new List<string> { "get", "post" }),
                ("/api/v1/reviews/{id}", ["get", "put"]),
                ("/api/v1/reviews/{id}/rounds", ["get", "post"]),
                ("/api/v1/reviews/{id}/answers", ["get"]),
                ("/api/v1/reviews/{id}/answers/{itemId}", ["get", "put"]),
                ("/api/v1/reviews/{id}/actions", ["get", "post"]),
                ("/api/v1/reviews/{id}/actions/{actionId}", ["put"]),
            }
        )
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            foreach (var method in methods)
            {
                Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path}");
                Assert.False(string.IsNullOrEmpty(operation.Text("operationId")));
                Assert.False(string.IsNullOrEmpty(operation.Text("summary")));
                Assert.True(
                    operation.TryGetProperty("security", out _),
                    $"{method} {path} security"
                );
            }
        }
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("AccessToken").Text("scheme"));
        var position = document
            .GetProperty("components")
            .GetProperty("schemas")
            .GetProperty("Position");
        Assert.Contains(
            "NotYetConsidered",
            position.GetProperty("enum").EnumerateArray().Select(e => e.GetString())
        );
        // Text is typed as text, so a client generated from the document gets strings.
        var reasoning = document
            .GetProperty("components")
            .GetProperty("schemas")
            .GetProperty("AnswerRequest")
            .GetProperty("properties")
            .GetProperty("reasoning");
        Assert.Contains(
            "string",
            reasoning.GetProperty("type").ToString(),
            StringComparison.Ordinal
        );
    }

    private static List<string?> Messages(JsonElement errors, string field) =>
        errors.TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()).ToList()
            : [$"(no errors for {field}: {errors})"];
}
