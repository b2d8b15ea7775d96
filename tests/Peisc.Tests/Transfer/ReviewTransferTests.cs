using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reviews;
using Peisc.Web.Transfer;

namespace Peisc.Tests.Transfer;

/// <summary>Issue 5, item 6: a whole review exported as JSON and imported elsewhere, or refused with nothing written.</summary>
public sealed class ReviewTransferTests
{
    [Theory, BothDatabases]
    public async Task ExportImportExport_IntoAnotherOrganisation_GivesTheSameContentApartFromIds(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var b = await OrganisationWithTheSamePeopleAsync(app, a, "Beta council");

        var first = await ExportAsync(await app.SignedInAsync(a.Owner), reviewId);
        var importer = await app.SignedInAsync(b[MemberRole.Facilitator]);
        var imported = await ImportThroughThePageAsync(importer, first.Bytes);
        var second = await ExportAsync(importer, imported);

        Assert.NotEqual(reviewId, imported);
        Assert.StartsWith(
            "peisc-a-review-to-move-review",
            first.FileName,
            StringComparison.Ordinal
        );
        Assert.Equal(Normalise(first.Bytes), Normalise(second.Bytes));
        Assert.Contains(
            "CANARY-A",
            Encoding.UTF8.GetString(second.Bytes),
            StringComparison.Ordinal
        );
        var page = await importer.GetPageAsync($"/reviews/{imported}");
        Assert.Contains("A review to move imported", page.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(a.Id),
            e => e.Action == AuditActions.ReviewJsonExported && e.EntityId == reviewId.ToString()
        );
        var audit = Assert.Single(
            await app.AuditAsync(b.Id),
            e => e.Action == AuditActions.ReviewImported
        );
        Assert.Equal(imported.ToString(), audit.EntityId);
        Assert.Equal(b[MemberRole.Facilitator].Id, audit.ActorUserId);
    }

    [Theory, BothDatabases]
    public async Task ExportImportExport_IntoAnotherInstallationThroughTheApi_GivesTheSameContentApartFromIds(
        Db db
    )
    {
        await using var source = new TestApp(db);
        var a = await source.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(source, a);
        var first = await ExportAsync(
            await source.ApiClientAsync(a, MemberRole.Viewer),
            reviewId,
            api: true
        );

        await using var target = new TestApp(db);
        var c = await target.CreateOrganisationAsync("Gamma council", roles: [MemberRole.Owner]);
        foreach (var person in a.Members.Values)
        {
            await target.AddMemberAsync(c.Id, MemberRole.Contributor, person.Email, person.Name);
        }
        var api = await target.ApiClientAsync(c, MemberRole.Owner);
        var response = await api.PostAsync("/api/v1/reviews/import", Json(first.Bytes));
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var imported = Guid.Parse(created.Text("id"));
        var second = await ExportAsync(api, imported, api: true);

        Assert.Equal($"/api/v1/reviews/{imported}", response.Headers.Location?.OriginalString);
        Assert.Equal(Normalise(first.Bytes), Normalise(second.Bytes));
    }

    [Theory, BothDatabases]
    public async Task ExportImport_LivedExperience_ComesWithItsInvitationsButNoLinkThatOpens(Db db)
    {
        await using var source = new TestApp(db);
        var a = await source.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(source, a);
        var (_, token) = await source.InviteVoicesAsync(
            a,
            reviewId,
            group: Voices.ChildrenAndYoungPeople,
            itemIds: ["social-justice.outcomes.1"]
        );
        var file = await ExportAsync(await source.SignedInAsync(a.Owner), reviewId);

        await using var target = new TestApp(db);
        var c = await target.CreateOrganisationAsync("Gamma council");
        var api = await target.ApiClientAsync(c, MemberRole.Owner);
        var created = await (
            await api.PostAsync("/api/v1/reviews/import", Json(file.Bytes))
        ).JsonAsync(HttpStatusCode.Created);
        var imported = Guid.Parse(created.Text("id"));

        var (invitations, contributions, responses) = await target.QueryAsync(
            async x =>
                (
                    await x.VoiceInvitations.Where(i => i.ReviewId == imported).ToListAsync(),
                    await x.VoiceContributions.Where(i => i.ReviewId == imported).ToListAsync(),
                    await x.VoiceResponses.Where(i => i.ReviewId == imported).ToListAsync()
                ),
            c.Id
        );
        Assert.Equal(3, invitations.Count);
        Assert.Equal(3, contributions.Count);
        Assert.Equal(4, responses.Count);
        var byId = invitations.ToDictionary(i => i.Id);
        // Each contribution is still under the invitation it came through, and keeps its group.
        Assert.All(contributions, x => Assert.Equal(byId[x.InvitationId].Group, x.Group));
        var jo = Assert.Single(contributions, x => x.Name == "Jo");
        Assert.Equal(Voices.Families, byId[jo.InvitationId].Group);
        var sam = Assert.Single(contributions, x => x.Name == "Sam");
        Assert.NotNull(byId[sam.InvitationId].RevokedAt);
        Assert.Single(contributions, x => x.Name is null);
        Assert.Null(invitations.Single(i => i.Group == Voices.Families).RevokedAt);
        // The old link opens only where it was made.
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await target.Browser().GetAsync($"/voices/{token}")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await source.Browser().GetAsync($"/voices/{token}")).StatusCode
        );
        var voices = await (await target.SignedInAsync(c[MemberRole.Viewer])).GetPageAsync(
            $"/reviews/{imported}/voices"
        );
        Assert.Contains("Children and young people", voices.Text, StringComparison.Ordinal);
        var audit = Assert.Single(
            await target.AuditAsync(c.Id),
            e => e.Action == AuditActions.ReviewImported
        );
        Assert.Contains("3 lived-experience contributions", audit.Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Import_PeopleWhoAreNotMembers_AreKeptByNameAndMembersMatchedByEmail(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        // Only the contributor is a member of both, with an email in another case.
        var d = await app.CreateOrganisationAsync("Delta council", roles: [MemberRole.Facilitator]);
        var contributor = a[MemberRole.Contributor];
        await app.AddMemberAsync(d.Id, MemberRole.Viewer, contributor.Email);
        var file = JsonNode.Parse(
            (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes
        )!;
        foreach (var person in All(file).OfType<JsonObject>().Where(n => n["email"] is not null))
        {
            if (person["email"]!.GetValue<string>() == contributor.Email)
            {
                person["email"] = contributor.Email.ToUpperInvariant();
            }
        }

        var imported = await ImportThroughThePageAsync(
            await app.SignedInAsync(d[MemberRole.Facilitator]),
            Encoding.UTF8.GetBytes(file.ToJsonString())
        );

        var (answers, changes, actions) = await app.QueryAsync(
            async x =>
                (
                    await x.Answers.Where(r => r.ReviewId == imported).ToListAsync(),
                    await x.AnswerChanges.Where(r => r.ReviewId == imported).ToListAsync(),
                    await x.Actions.Where(r => r.ReviewId == imported).ToListAsync()
                ),
            d.Id
        );
        var byContributor = answers.Where(r => r.UpdatedByName == contributor.Name).ToList();
        Assert.NotEmpty(byContributor);
        Assert.All(byContributor, r => Assert.Equal(contributor.Id, r.UpdatedByUserId));
        var byOwner = answers.Where(r => r.UpdatedByName == a.Owner.Name).ToList();
        Assert.NotEmpty(byOwner);
        // Kept as a name, under an id that is no one's account: never shown as someone else's.
        var memberIds = d.Members.Values.Select(m => m.Id).Append(contributor.Id).ToHashSet();
        Assert.All(byOwner, r => Assert.DoesNotContain(r.UpdatedByUserId, memberIds));
        Assert.All(changes, c => Assert.False(string.IsNullOrEmpty(c.ChangedByName)));
        var owned = Assert.Single(actions, x => x.Title == "Agree the consent wording");
        Assert.Null(owned.OwnerUserId);
        Assert.Equal(a[MemberRole.Facilitator].Name, owned.OwnerName);

        var again = JsonNode.Parse(
            (await ExportAsync(await app.SignedInAsync(d[MemberRole.Facilitator]), imported)).Bytes
        )!;
        var people = All(again)
            .OfType<JsonObject>()
            .Where(n => n["name"] is not null && n["version"] is null && n["itemId"] is null)
            .ToList();
        Assert.Contains(
            people,
            p =>
                p["name"]!.GetValue<string>() == contributor.Name
                && p["email"]?.GetValue<string>() == contributor.Email
        );
        Assert.Contains(
            people,
            p => p["name"]!.GetValue<string>() == a.Owner.Name && p["email"] is null
        );
    }

    public static TheoryData<string, string, string> Refusals =>
        new()
        {
            {
                "truncated",
                Db.Sqlite.ToString(),
                "The file is not complete JSON: it ends too soon (line "
            },
            {
                "truncated",
                Db.Postgres.ToString(),
                "The file is not complete JSON: it ends too soon (line "
            },
            { "not-json", Db.Sqlite.ToString(), "The file is not valid JSON (line 1, character" },
            {
                "version-2",
                Db.Sqlite.ToString(),
                "The file uses version 2 of the review format, which is newer than this installation of PEISC reads (version 1)."
            },
            {
                "version-2",
                Db.Postgres.ToString(),
                "The file uses version 2 of the review format, which is newer than this installation of PEISC reads (version 1)."
            },
            { "not-a-review", Db.Sqlite.ToString(), "This is not a PEISC review file" },
            {
                "invalid-schema",
                Db.Sqlite.ToString(),
                "This value is not one of those the review format allows"
            },
            {
                "invalid-schema",
                Db.Postgres.ToString(),
                "This value is not one of those the review format allows"
            },
            {
                "extra-field",
                Db.Sqlite.ToString(),
                "This field is not part of the PEISC review format."
            },
            {
                "unknown-item",
                Db.Sqlite.ToString(),
                "The item 'human-rights.process.99' is not in the framework edition 'peisc'."
            },
            {
                "unknown-item",
                Db.Postgres.ToString(),
                "The item 'human-rights.process.99' is not in the framework edition 'peisc'."
            },
            {
                "round-numbers",
                Db.Sqlite.ToString(),
                "Rounds must be numbered 1, 2, 3 and so on in order"
            },
            {
                "unknown-edition",
                Db.Sqlite.ToString(),
                "The review uses the framework edition 'our-own'"
            },
            {
                "contribution-unknown-invitation",
                Db.Sqlite.ToString(),
                "The contribution names an invitation that is not in the file's invitations."
            },
            {
                "contribution-unasked-item",
                Db.Postgres.ToString(),
                "The item 'overarching.innovation.1' is not one its invitation asked about."
            },
            {
                "contribution-invalid",
                Db.Sqlite.ToString(),
                "This field is not part of the PEISC review format."
            },
            { "too-long", Db.Postgres.ToString(), "The text is too long" },
        };

    [Theory, MemberData(nameof(Refusals))]
    public async Task Import_BadFile_IsRefusedWithItsMessageAndNothingIsWritten(
        string kind,
        string database,
        string message
    )
    {
        await using var app = new TestApp(Enum.Parse<Db>(database));
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var good = (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes;
        var bad = Spoil(kind, good);
        var importer = await app.SignedInAsync(a[MemberRole.Facilitator]);
        var before = await CountAsync(app);

        var form = await importer.GetPageAsync("/reviews/import");
        var response = await importer.UploadAsync(form, "Upload", "review.json", bad);
        var page = await Html.ToPageAsync(response, form.Url);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("Error: ", page.Document.Title, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", page.Text, StringComparison.Ordinal);
        Assert.Contains(
            page.FindAll("#import-problems li"),
            li => li.TextContent.Contains(message, StringComparison.Ordinal)
        );
        Assert.Equal(before, await CountAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Import_FiftyMegabyteFile_IsRefusedBeforeItIsReadAndNothingIsWritten(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        await RichReviewAsync(app, a);
        var huge = new byte[50 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');
        huge[0] = (byte)'{';
        var importer = await app.SignedInAsync(a[MemberRole.Facilitator]);
        var api = await app.ApiClientAsync(a, MemberRole.Facilitator);
        var before = await CountAsync(app);

        var form = await importer.GetPageAsync("/reviews/import");
        var response = await importer.UploadAsync(form, "Upload", "huge.json", huge);
        var page = await importer.FollowAsync(response, form.Url);
        var problem = await (await api.PostAsync("/api/v1/reviews/import", Json(huge))).JsonAsync(
            HttpStatusCode.RequestEntityTooLarge
        );
        // Sent without a length (chunked): read only up to the limit, then refused.
        var unsized = new StreamContent(new MemoryStream(huge));
        unsized.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var chunked = await api.PostAsync("/api/v1/reviews/import", unsized);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(["The selected file must be smaller than 20 MB"], page.ErrorSummary);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Contains("larger than 20 MB", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Import_FileNamingRowsOfAnotherOrganisation_CreatesNewRowsAndLeavesThoseAlone(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var b = await app.CreateOrganisationAsync("Beta council");
        var theirs = await app.CreateReviewAsync(b, "Beta's own review");
        var theirAnswer = await app.AnswerAsync(
            b,
            theirs.Id,
            "human-rights.process.1",
            Position.Addressed,
            "Beta's reasoning"
        );
        var theirAction = await app.CreateActionAsync(b, theirs.Id, "Beta's own action");
        var file = JsonNode.Parse(
            (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes
        )!;
        file["review"]!["id"] = theirs.Id.ToString();
        file["rounds"]![0]!["id"] = theirs.CurrentRoundId.ToString();
        file["rounds"]![0]!["answers"]![0]!["id"] = theirAnswer.Id.ToString();
        file["actions"]![0]!["id"] = theirAction.Id.ToString();
        var bytes = Encoding.UTF8.GetBytes(file.ToJsonString());
        var beforeB = await SnapshotOfAsync(app, b.Id, theirs.Id);

        // Into A (which cannot see those rows) and into B itself (which owns them): both make new rows.
        var intoA = await ImportThroughThePageAsync(
            await app.SignedInAsync(a[MemberRole.Facilitator]),
            bytes
        );
        var intoB = await ImportThroughThePageAsync(
            await app.SignedInAsync(b[MemberRole.Facilitator]),
            bytes
        );

        Assert.NotEqual(theirs.Id, intoA);
        Assert.NotEqual(theirs.Id, intoB);
        Assert.Equal(beforeB, await SnapshotOfAsync(app, b.Id, theirs.Id));
        var ids = await app.QueryAsync(async x =>
            await x
                .Answers.IgnoreQueryFilters()
                .Select(r => r.Id)
                .Concat(x.Actions.IgnoreQueryFilters().Select(r => r.Id))
                .ToListAsync()
        );
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(
            2,
            await app.QueryAsync(
                x => x.Reviews.CountAsync(r => r.Title == "A review to move"),
                a.Id
            )
        );
        Assert.Equal(
            1,
            await app.QueryAsync(
                x => x.Reviews.CountAsync(r => r.Title == "A review to move"),
                b.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task Import_ReviewOnAnOrganisationsOwnEdition_NeedsThatEditionInTheImportingOrganisation(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var b = await app.CreateOrganisationAsync("Beta council", roles: [MemberRole.Facilitator]);
        var c = await app.CreateOrganisationAsync("Gamma council", roles: [MemberRole.Facilitator]);
        var node = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.EditionPath))!;
        node["id"] = "our-own";
        node["title"] = "Our own edition";
        node["version"] = "2026";
        var json = node.ToJsonString();
        var edition = Peisc.Web.Framework.FrameworkLoader.Load(json).Edition!;
        foreach (var org in new[] { a, b })
        {
            await app.QueryAsync(
                x =>
                {
                    x.OrganisationEditions.Add(
                        new OrganisationEdition
                        {
                            Id = Guid.NewGuid(),
                            OrganisationId = org.Id,
                            EditionId = "our-own",
                            Title = "Our own edition",
                            Version = "2026",
                            Json = json,
                            UploadedByUserId = org.Members.Values.First().Id,
                            UploadedAt = DateTime.UtcNow,
                        }
                    );
                    return x.SaveChangesAsync();
                },
                org.Id
            );
        }
        var review = await app.AsMemberAsync(
            a,
            a[MemberRole.Facilitator],
            sp =>
                sp.GetRequiredService<ReviewService>()
                    .CreateAsync(
                        new ReviewInput(
                            "On our own edition",
                            "A pilot.",
                            ServiceArea.Adults,
                            "situation.1",
                            "stage.1",
                            null
                        ),
                        edition
                    )
        );
        await app.AnswerInFullAsync(
            a,
            a.Owner,
            review.Id,
            "social-justice.outcomes.2",
            Position.Concern,
            "Who loses out?"
        );
        var file = await ExportAsync(await app.SignedInAsync(a.Owner), review.Id);
        var intoC = await app.SignedInAsync(c[MemberRole.Facilitator]);
        var before = await CountAsync(app);

        var form = await intoC.GetPageAsync("/reviews/import");
        var refused = await Html.ToPageAsync(
            await intoC.UploadAsync(form, "Upload", "review.json", file.Bytes),
            form.Url
        );
        var countsAfterRefusal = await CountAsync(app);
        var imported = await ImportThroughThePageAsync(
            await app.SignedInAsync(b[MemberRole.Facilitator]),
            file.Bytes
        );

        Assert.Contains(
            "The review uses the framework edition 'our-own' (Our own edition, version 2026), which your organisation does not have.",
            refused.Text,
            StringComparison.Ordinal
        );
        Assert.Equal(before, countsAfterRefusal);
        Assert.Equal(
            "our-own",
            await app.QueryAsync(
                x => x.Reviews.Where(r => r.Id == imported).Select(r => r.EditionId).SingleAsync(),
                b.Id
            )
        );
        Assert.Contains(
            "\"id\": \"our-own\"",
            Encoding.UTF8.GetString(file.Bytes),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task Permissions_ViewerAndContributor_CannotImport_AndAnotherOrganisationsReviewIsNotFound(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var b = await app.CreateOrganisationAsync("Beta council");
        var file = (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes;
        var contributorApi = await app.ApiClientAsync(a, MemberRole.Contributor);
        var foreignClient = await app.ApiClientAsync(b, MemberRole.Owner);
        var viewer = await app.SignedInAsync(a[MemberRole.Viewer]);
        var foreignOwner = await app.SignedInAsync(b.Owner);
        var facilitator = await app.SignedInAsync(a[MemberRole.Facilitator]);
        var before = await CountAsync(app, withAudit: false);

        var denied = await viewer.GetAsync("/reviews/import");
        // The viewer's own valid token (from the sign-out form), so only the role stands in the way.
        using var body = new MultipartFormDataContent
        {
            {
                new StringContent((await viewer.GetPageAsync("/reviews")).AntiforgeryToken!),
                "__RequestVerificationToken"
            },
            { Json(file), "Upload", "review.json" },
        };
        var forged = await viewer.PostAsync("/reviews/import", body);
        var index = await viewer.GetPageAsync("/reviews");
        var refused = await contributorApi.PostAsync("/api/v1/reviews/import", Json(file));
        var foreignPage = await foreignOwner.GetAsync($"/reviews/{reviewId}/exports/review.json");
        var foreignApi = await foreignClient.GetAsync(
            $"/api/v1/reviews/{reviewId}/exports/review.json"
        );
        var facilitatorIndex = await facilitator.GetPageAsync("/reviews");

        Assert.Equal("/account/access-denied", denied.LocationPath());
        Assert.Equal("/account/access-denied", forged.LocationPath());
        Assert.Null(index.Find("a[href='/reviews/import']"));
        Assert.NotNull(facilitatorIndex.Find("a[href='/reviews/import']"));
        Assert.Equal(
            "Your role does not allow this",
            (await refused.JsonAsync(HttpStatusCode.Forbidden)).Text("title")
        );
        Assert.Equal(HttpStatusCode.NotFound, foreignPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignApi.StatusCode);
        Assert.DoesNotContain(
            "CANARY-A",
            await foreignApi.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        Assert.Equal(before, await CountAsync(app, withAudit: false));
    }

    [Theory, BothDatabases]
    public async Task ApiImport_BadFile_AnswersProblemDetailsListingEveryProblem(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var file = JsonNode.Parse(
            (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes
        )!;
        file["rounds"]![0]!["answers"]![0]!["itemId"] = "human-rights.process.99";
        file["actions"]![0]!["itemIds"] = new JsonArray("nowhere.at.1");
        var api = await app.ApiClientAsync(a, MemberRole.Facilitator);
        var before = await CountAsync(app);

        var response = await api.PostAsync(
            "/api/v1/reviews/import",
            Json(Encoding.UTF8.GetBytes(file.ToJsonString()))
        );
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The review file was refused: nothing was imported", problem.Text("title"));
        var problems = problem
            .GetProperty("problems")
            .EnumerateArray()
            .Select(p => (p.Text("path"), p.Text("message")))
            .ToList();
        Assert.Contains(
            (
                "$.rounds[0].answers[0].itemId",
                "The item 'human-rights.process.99' is not in the framework edition 'peisc'."
            ),
            problems
        );
        Assert.Contains(
            (
                "$.actions[0].itemIds[0]",
                "The item 'nowhere.at.1' is not in the framework edition 'peisc'."
            ),
            problems
        );
        Assert.Equal(before, await CountAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Schema_Anonymous_IsServedAndTheExportFollowsIt(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha council");
        var reviewId = await RichReviewAsync(app, a);
        var response = await app.ApiClient(null).GetAsync("/api/v1/reviews/schema");
        var text = await response.Content.ReadAsStringAsync();
        var schema = JsonNode.Parse(text)!;
        var file = (await ExportAsync(await app.SignedInAsync(a.Owner), reviewId)).Bytes;
        using var document = System.Text.Json.JsonDocument.Parse(file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, schema["properties"]!["schemaVersion"]!["const"]!.GetValue<int>());
        Assert.NotNull(schema["properties"]!["contributions"]);
        Assert.NotNull(schema["properties"]!["invitations"]);
        // Without its $id, which the app has already registered in this process.
        schema.AsObject().Remove("$id");
        Assert.True(
            global::Json
                .Schema.JsonSchema.FromText(schema.ToJsonString())
                .Evaluate(document.RootElement)
                .IsValid
        );
        Assert.Equal(2, document.RootElement.GetProperty("rounds").GetArrayLength());
        Assert.Equal(3, document.RootElement.GetProperty("contributions").GetArrayLength());
        Assert.Equal(2, document.RootElement.GetProperty("invitations").GetArrayLength());
    }

    // A review with every kind of record: two rounds, answers with history, reflection, views, actions, a discussion.
    private static async Task<Guid> RichReviewAsync(TestApp app, TestOrganisation org)
    {
        var review = await app.CreateReviewAsync(org, "A review to move");
        var contributor = org[MemberRole.Contributor];
        await app.AnswerInFullAsync(
            org,
            contributor,
            review.Id,
            "human-rights.process.1",
            Position.PartlyAddressed,
            "First thoughts CANARY-A"
        );
        await app.AnswerInFullAsync(
            org,
            org.Owner,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear",
            "Minutes of 3 May",
            Voices.Families | Voices.Practitioners,
            "One of us disagrees"
        );
        await app.AnswerInFullAsync(
            org,
            contributor,
            review.Id,
            "overarching.innovation.2",
            Position.NotApplicable,
            notApplicableReason: "Not at this level"
        );
        await app.AsMemberAsync(
            org,
            org[MemberRole.Facilitator],
            async sp =>
            {
                var x = sp.GetRequiredService<AppDbContext>();
                var r = await x.Reviews.SingleAsync(r => r.Id == review.Id);
                return await sp.GetRequiredService<ReviewService>()
                    .CreateActionAsync(
                        r,
                        new ActionInput(
                            "Agree the consent wording",
                            org[MemberRole.Facilitator].Id,
                            null,
                            new DateOnly(2027, 1, 31),
                            ActionStatus.InProgress,
                            ["human-rights.process.1"]
                        )
                    );
            }
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Ask families",
            null,
            ActionStatus.Done,
            "overarching.innovation.2",
            "human-rights.process.1"
        );
        var round1 = review.CurrentRoundId;
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerInFullAsync(
            org,
            contributor,
            review.Id,
            "human-rights.process.1",
            Position.Addressed,
            "Now clear",
            voices: Voices.ChildrenAndYoungPeople
        );
        await app.QueryAsync(
            async x =>
            {
                var round2 = await x
                    .Rounds.Where(r => r.ReviewId == review.Id && r.Number == 2)
                    .Select(r => r.Id)
                    .SingleAsync();
                var at = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
                x.Reflections.Add(
                    new Reflection
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        RoundId = round2,
                        CellId = "human-rights.process",
                        OpenedAt = at,
                        OpenedByName = org[MemberRole.Facilitator].Name,
                        RevealedAt = at.AddHours(1),
                        RevealedByName = org[MemberRole.Facilitator].Name,
                    }
                );
                x.Reflections.Add(
                    new Reflection
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        RoundId = round1,
                        CellId = "overarching.innovation",
                        OpenedAt = at.AddDays(-9),
                        OpenedByName = "Someone who left",
                    }
                );
                foreach (
                    var (who, position) in new[]
                    {
                        (contributor, Position.Concern),
                        (org.Owner, Position.Addressed),
                    }
                )
                {
                    x.IndividualViews.Add(
                        new IndividualView
                        {
                            Id = Guid.NewGuid(),
                            OrganisationId = org.Id,
                            ReviewId = review.Id,
                            RoundId = round2,
                            CellId = "human-rights.process",
                            ItemId = "human-rights.process.1",
                            UserId = who.Id,
                            UserName = who.Name,
                            Position = position,
                            Reasoning = $"{who.Name} thinks so",
                            MinorityView = position == Position.Concern ? "Keep this" : null,
                            MinorityViewNamed = true,
                            UpdatedAt = at.AddMinutes(5),
                        }
                    );
                }
                x.Comments.Add(
                    new Comment
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        ItemId = "human-rights.process.1",
                        AuthorUserId = contributor.Id,
                        AuthorName = contributor.Name,
                        Body = "What did families say? @owner",
                        CreatedAt = at.AddMinutes(10),
                        MentionedUserIds = org.Owner.Id.ToString(),
                    }
                );
                x.Comments.Add(
                    new Comment
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        ItemId = "human-rights.process.1",
                        AuthorUserId = org.Owner.Id,
                        AuthorName = org.Owner.Name,
                        Body = "They were content.",
                        CreatedAt = at.AddMinutes(20),
                    }
                );
                x.CommentThreads.Add(
                    new CommentThread
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        ItemId = "human-rights.process.1",
                        ResolvedAt = at.AddMinutes(30),
                        ResolvedByName = org.Owner.Name,
                    }
                );
                return await x.SaveChangesAsync();
            },
            org.Id
        );
        // Lived experience: a live invitation with a named and an anonymous contribution, and a revoked one.
        var (families, _) = await app.InviteVoicesAsync(org, review.Id);
        await app.ContributeAsync(
            org,
            families.Id,
            "Jo",
            new Dictionary<string, string>
            {
                ["human-rights.process.1"] = "Nobody explained the consent form to us CANARY-A",
                ["human-rights.process.2"] = "We felt listened to.",
            }
        );
        await app.ContributeAsync(
            org,
            families.Id,
            null,
            new Dictionary<string, string> { ["human-rights.process.2"] = "Too many meetings." }
        );
        var (carers, _) = await app.InviteVoicesAsync(
            org,
            review.Id,
            group: Voices.Carers,
            itemIds: ["overarching.innovation.2"]
        );
        await app.ContributeAsync(
            org,
            carers.Id,
            "Sam",
            new Dictionary<string, string> { ["overarching.innovation.2"] = "Respite first." }
        );
        await app.QueryAsync(
            async x =>
            {
                var revoked = await x.VoiceInvitations.SingleAsync(i => i.Id == carers.Id);
                revoked.RevokedAt = new DateTime(2026, 11, 21, 9, 0, 0, DateTimeKind.Utc);
                return await x.SaveChangesAsync();
            },
            org.Id
        );
        return review.Id;
    }

    // The same people (same accounts) as members of a second organisation of this installation.
    private static async Task<TestOrganisation> OrganisationWithTheSamePeopleAsync(
        TestApp app,
        TestOrganisation from,
        string name
    )
    {
        var org = await app.CreateOrganisationAsync(name, roles: [MemberRole.Facilitator]);
        foreach (var person in from.Members.Values.Where(p => p.Role != MemberRole.Facilitator))
        {
            await app.AddMemberAsync(org.Id, MemberRole.Contributor, person.Email);
        }
        await app.AddMemberAsync(org.Id, MemberRole.Viewer, from[MemberRole.Facilitator].Email);
        return org;
    }

    private static async Task<(byte[] Bytes, string FileName)> ExportAsync(
        HttpClient client,
        Guid reviewId,
        bool api = false
    )
    {
        var (bytes, name, type) = await client.DownloadAsync(
            $"{(api ? "/api/v1" : "")}/reviews/{reviewId}/exports/review.json"
        );
        Assert.Equal("application/json", type);
        return (bytes, name);
    }

    private static async Task<Guid> ImportThroughThePageAsync(HttpClient client, byte[] file)
    {
        var form = await client.GetPageAsync("/reviews/import");
        var response = await client.UploadAsync(form, "Upload", "review.json", file);
        var page = await Html.ToPageAsync(response, form.Url);
        Assert.True(
            response.StatusCode == HttpStatusCode.Redirect,
            $"Import refused: {string.Join("; ", page.FindAll("#import-problems li").Select(li => Page.Normalise(li.TextContent)))}"
        );
        return Guid.Parse(response.LocationPath()!.Split('/')[^1]);
    }

    private static IEnumerable<JsonNode> All(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in All(child))
            {
                yield return descendant;
            }
        }
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    // Ids differ by design; the export's own time and source name where it was made.
    private static string Normalise(byte[] file)
    {
        var root = JsonNode.Parse(file)!.AsObject();
        root.Remove("exportedAt");
        root.Remove("source");
        foreach (var node in All(root).OfType<JsonObject>().ToList())
        {
            node.Remove("id");
            // Checked apart: each contribution still belongs to the invitation it came through.
            node.Remove("invitationId");
        }
        return root.ToJsonString();
    }

    private static byte[] Spoil(string kind, byte[] good)
    {
        JsonNode File() => JsonNode.Parse(good)!;
        byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
        switch (kind)
        {
            case "truncated":
                return good[..(good.Length / 2)];
            case "not-json":
                return Encoding.UTF8.GetBytes("{ \"schema\": peisc }");
            case "version-2":
            {
                var f = File();
                f["schemaVersion"] = 2;
                return Bytes(f);
            }
            case "not-a-review":
            {
                var f = File();
                f["schema"] = "something-else";
                return Bytes(f);
            }
            case "invalid-schema":
            {
                var f = File();
                f["rounds"]![0]!["answers"]![0]!["position"] = "Maybe";
                return Bytes(f);
            }
            case "extra-field":
            {
                var f = File();
                f["review"]!["organisationId"] = Guid.NewGuid().ToString();
                return Bytes(f);
            }
            case "unknown-item":
            {
                var f = File();
                f["rounds"]![1]!["answers"]![0]!["itemId"] = "human-rights.process.99";
                return Bytes(f);
            }
            case "round-numbers":
            {
                var f = File();
                f["rounds"]![1]!["number"] = 3;
                return Bytes(f);
            }
            case "unknown-edition":
            {
                var f = File();
                f["framework"]!["id"] = "our-own";
                return Bytes(f);
            }
            case "contribution-unknown-invitation":
            {
                var f = File();
                f["contributions"]![0]!["invitationId"] = Guid.NewGuid().ToString();
                return Bytes(f);
            }
            case "contribution-unasked-item":
            {
                var f = File();
                f["contributions"]![0]!["responses"]![0]!["itemId"] = "overarching.innovation.1";
                return Bytes(f);
            }
            case "contribution-invalid":
            {
                var f = File();
                f["contributions"]![0]!["withdrawKey"] = "a key from elsewhere";
                return Bytes(f);
            }
            case "too-long":
            {
                var f = File();
                f["review"]!["title"] = new string('x', 201);
                return Bytes(f);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    // Every table of the model, the audit trail included: a refused import writes nothing at all.
    private static Task<string> CountAsync(TestApp app, bool withAudit = true) =>
        app.QueryAsync(async x =>
        {
            var parts = new List<string>();
            foreach (
                var table in x
                    .Model.GetEntityTypes()
                    .Select(e => e.GetTableName())
                    .OfType<string>()
                    .Where(t => withAudit || t != "AuditEvents")
                    .Distinct()
                    .Order(StringComparer.Ordinal)
            )
            {
                // The table names come from the EF model, never from input.
#pragma warning disable EF1002, EF1003
                var count = await x
                    .Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{table}\"")
                    .SingleAsync();
#pragma warning restore EF1002, EF1003
                parts.Add($"{table}={count}");
            }
            return string.Join(" ", parts);
        });

    private static Task<string> SnapshotOfAsync(TestApp app, Guid organisationId, Guid reviewId) =>
        app.QueryAsync(
            async x =>
            {
                var review = await x.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId);
                var rounds = await x
                    .Rounds.AsNoTracking()
                    .Where(r => r.ReviewId == reviewId)
                    .ToListAsync();
                var answers = await x
                    .Answers.AsNoTracking()
                    .Where(r => r.ReviewId == reviewId)
                    .ToListAsync();
                var actions = await x
                    .Actions.AsNoTracking()
                    .Where(r => r.ReviewId == reviewId)
                    .ToListAsync();
                return System.Text.Json.JsonSerializer.Serialize(
                    new
                    {
                        review,
                        rounds,
                        answers,
                        actions,
                    }
                );
            },
            organisationId
        );
}
