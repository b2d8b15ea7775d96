using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// trust.md I2 for text that arrives in files rather than through form fields: whole-review JSON
/// files imported through the API and framework editions uploaded by an owner carry every payload
/// of xss-payloads.txt in their free-text fields. Every page that shows those texts is rendered in
/// Chromium under the same watch as XssTests: nothing may run, and what is shown reads back as text.
/// </summary>
public sealed class XssUploadTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture)
{
    private static readonly IReadOnlyList<string> Payloads = XssPayloads.All;

    private static readonly List<string> Normalised = Payloads
        .Select(XssPayloads.Normalise)
        .ToList();

    // A page that shows multi-line text as paragraphs reads a line break as a space.
    private static readonly List<string> NormalisedAsLines = Payloads
        .Select(p =>
            XssPayloads.Normalise(p.Replace('\r', ' ').Replace('\n', ' ').Replace('\f', ' '))
        )
        .ToList();

    private static bool Shows(string text, int payload) =>
        text.Contains(Normalised[payload], StringComparison.Ordinal)
        || text.Contains(NormalisedAsLines[payload], StringComparison.Ordinal);

    // Two cells of the built-in edition: answered in both rounds, reflected on, discussed.
    private static readonly Web.Framework.Cell First = Cell("human-rights.process");
    private static readonly Web.Framework.Cell Second = Cell("social-justice.innovation");

    [Fact]
    public async Task ImportedReviewsAndUploadedEditions_EveryPayloadInTheirText_NothingRunsAndAllReadsBackAsText()
    {
        var clock = Stopwatch.StartNew();
        // PostgreSQL, the stricter store: it refuses NUL and over-long text that SQLite would keep,
        // so what is shown here is what every installation can hold.
        var page = await StartAppAsync(provider: Db.Postgres);
        var org = await App.CreateOrganisationAsync(name: "Northshire children's services");
        var owner = await SignInClientAndPageAsync(page, org.Owner);
        var watch = await XssWatch.AttachAsync(page);
        var run = new XssRunner(
            watch,
            line => output.WriteLine($"{clock.Elapsed.TotalSeconds, 5:F0} s  {line}")
        );
        var api = await ApiClientAsync(owner);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<string> Render(string path)
        {
            // The organisation's pages change with each import; a review's pages do not.
            if (
                !texts.TryGetValue(path, out var text)
                || path.StartsWith("/organisation", StringComparison.Ordinal)
            )
            {
                texts[path] = text = await run.RenderAsync(path);
            }
            return text;
        }

        // 1. Whole-review files, imported until every payload has been through two text fields
        // and been read back as text on a page.
        var reviewFill = new Filler(XssPayloads.Storable, XssPayloads.Storable.Count / 2);
        var imports = 0;
        var importFields = new FieldTally();
        // A few payloads land only in fields no page shows: files go on (up to six) until each
        // has also been read back somewhere.
        while (
            (reviewFill.Passes < 2 || importFields.ShownPayloads < XssPayloads.Storable.Count)
            && imports < 6
        )
        {
            imports++;
            var file = ReviewFile(reviewFill, imports);
            var response = await api.PostAsync(
                "/api/v1/reviews/import",
                new StringContent(file.Json.ToJsonString(), Encoding.UTF8, "application/json")
            );
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                run.Check(
                    false,
                    $"Import {imports}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 2000)]}"
                );
                if ((int)response.StatusCode >= 500)
                {
                    run.ServerErrors.Add($"Import {imports}: {(int)response.StatusCode}");
                }
                break;
            }
            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            var actions = await App.QueryAsync(
                db =>
                    db.Set<ReviewAction>()
                        .Where(a => a.ReviewId == id)
                        .OrderBy(a => a.CreatedAt)
                        .Select(a => a.Id)
                        .ToListAsync(),
                org.Id
            );
            // Imported invitations keep no working link: a new one opens the page that shows
            // the consent statement and safeguarding contact to the people invited.
            var links = new List<string>();
            var voices = await owner.GetPageAsync($"/reviews/{id}/voices");
            foreach (
                var action in voices
                    .FindAll("form[action*='handler=Reissue']")
                    .Select(f => f.GetAttribute("action")!)
                    .ToList()
            )
            {
                var reissued = await Html.ToPageAsync(
                    await owner.SubmitAsync(voices, formSelector: $"form[action='{action}']"),
                    voices.Url
                );
                links.Add(
                    new Uri(reissued.Find("#invitation-link")!.TextContent.Trim()).AbsolutePath
                );
            }
            run.Check(
                links.Count == 2,
                $"Import {imports}: {links.Count} invitations could be given a new link"
            );
            foreach (var (field, placed) in file.Placed)
            {
                var shownOn = ShownOn(field, id, links);
                importFields.Carried(field, placed);
                var text = new StringBuilder();
                foreach (var path in shownOn)
                {
                    text.Append(await Render(path)).Append('\n');
                }
                if (shownOn.Count > 0)
                {
                    var shown = text.ToString();
                    var missing = placed.Where(i => !Shows(shown, i)).ToList();
                    importFields.Shown(field, placed.Except(missing));
                    run.Check(
                        missing.Count == 0,
                        $"Import {imports}, {field}: {missing.Count} payloads not shown as text on {string.Join(", ", shownOn)}, e.g. {string.Join(" | ", missing.Take(3).Select(i => $"#{i + 1} {Payloads[i]}"))}"
                    );
                }
            }
            // Every other page of the review, where these texts may also appear.
            foreach (
                var path in XssTests
                    .ReviewPages(id)
                    .Concat(actions.Select(a => $"/reviews/{id}/actions/{a}"))
            )
            {
                await Render(path);
            }
        }
        await Render("/reviews");
        // The payloads holding NUL, in one file: refused, each field named, nothing imported.
        var nulFill = new Filler(XssPayloads.WithNul, 0);
        var nulFile = ReviewFile(nulFill, imports + 1);
        var nulFields = nulFile.Placed.Values.Count(p => p.Count > 0);
        var reviewsBefore = await App.QueryAsync(db => db.Reviews.CountAsync(), org.Id);
        var nulResponse = await api.PostAsync(
            "/api/v1/reviews/import",
            new StringContent(nulFile.Json.ToJsonString(), Encoding.UTF8, "application/json")
        );
        var nulBody = await nulResponse.Content.ReadAsStringAsync();
        var nulMessages = JsonDocument
            .Parse(nulBody)
            .RootElement.TryGetProperty("problems", out var listed)
            ? listed.EnumerateArray().Select(p => p.GetProperty("message").GetString()!).ToList()
            : [];
        var nulProblems = nulMessages.Count;
        run.Check(
            nulResponse.StatusCode == HttpStatusCode.BadRequest
                && nulProblems > 0
                && nulMessages.All(m => m.Contains("U+0000", StringComparison.Ordinal)),
            $"A review file with NUL in its text: {(int)nulResponse.StatusCode}, {nulBody[..Math.Min(nulBody.Length, 1000)]}"
        );
        run.Check(
            await App.QueryAsync(db => db.Reviews.CountAsync(), org.Id) == reviewsBefore,
            "A review file with NUL in its text was imported"
        );
        run.Check(
            reviewFill.Seen.Count + nulFill.Seen.Count == Payloads.Count,
            $"Review files carried {reviewFill.Seen.Count + nulFill.Seen.Count} of {Payloads.Count} payloads"
        );

        // Refusals quote the file back: an edition this organisation lacks is named by its title
        // and version. Files like that go through the import page until every payload has been
        // quoted, and each page of problems is shown in Chromium exactly as the app sent it.
        var quoteFill = new Filler(XssPayloads.Storable, 0);
        var refusals = 0;
        var quoted = new HashSet<int>();
        while (quoteFill.Passes < 1 && refusals < 80)
        {
            refusals++;
            var file = ReviewFile(
                new Filler(XssPayloads.Storable, refusals * 7),
                100 + refusals
            ).Json;
            quoteFill.StartFile();
            var (title, inTitle) = quoteFill.Take(500, 20);
            var (version, inVersion) = quoteFill.Take(100, 3);
            file["framework"]!["id"] = "peisc-elsewhere";
            file["framework"]!["title"] = title;
            file["framework"]!["version"] = version;
            var importPage = await owner.GetPageAsync("/reviews/import");
            var refused = await owner.UploadAsync(
                importPage,
                "Upload",
                $"refused-{refusals}.json",
                Encoding.UTF8.GetBytes(file.ToJsonString())
            );
            var shown = await watch.RenderResponseAsync(importPage.Url, refused);
            run.PagesRendered.Add("/reviews/import (refused file)");
            var expected = inTitle.Concat(inVersion).ToList();
            var missing = expected.Where(i => !Shows(shown, i)).ToList();
            quoted.UnionWith(expected.Except(missing));
            run.Check(
                refused.StatusCode == HttpStatusCode.OK && missing.Count == 0,
                $"Refused file {refusals}: {(int)refused.StatusCode}, {missing.Count} payloads not quoted back as text, e.g. {string.Join(" | ", missing.Take(3).Select(i => $"#{i + 1} {Payloads[i]}"))}"
            );
        }
        run.Check(
            quoted.Count == XssPayloads.Storable.Count,
            $"Refusals quoted {quoted.Count} of {XssPayloads.Storable.Count} payloads back as text"
        );
        var reviewsAfterRefusals = await App.QueryAsync(db => db.Reviews.CountAsync(), org.Id);
        var importTime = clock.Elapsed;
        var importRenders = watch.Rendered;

        // 2. Framework editions, uploaded until every payload has been through two text fields and
        // been read back,
        // each then used for a new review whose pages show the edition's words.
        var editionFill = new Filler(XssPayloads.Storable, XssPayloads.Storable.Count / 3);
        var uploads = 0;
        var editionFields = new FieldTally();
        while (
            (editionFill.Passes < 2 || editionFields.ShownPayloads < XssPayloads.Storable.Count)
            && uploads < 6
        )
        {
            uploads++;
            var edition = EditionFile(editionFill, uploads, out var placed);
            var editionsPage = await owner.GetPageAsync("/organisation/editions");
            var uploaded = await owner.UploadAsync(
                editionsPage,
                "Upload",
                $"edition-{uploads}.json",
                Encoding.UTF8.GetBytes(edition.ToJsonString())
            );
            if (uploaded.StatusCode != HttpStatusCode.Redirect)
            {
                var refused = await Html.ToPageAsync(uploaded, editionsPage.Url);
                run.Check(
                    false,
                    $"Upload {uploads}: {(int)uploaded.StatusCode} {string.Join(" | ", refused.FindAll("#edition-problems li").Take(10).Select(li => li.TextContent))}"
                );
                break;
            }
            var editionId = edition["id"]!.GetValue<string>();
            var uploadId = await App.QueryAsync(
                db =>
                    db.OrganisationEditions.Where(e => e.EditionId == editionId)
                        .Select(e => e.Id)
                        .SingleAsync(),
                org.Id
            );

            // New reviews use it once chosen in the organisation's settings.
            var settings = await owner.GetPageAsync("/organisation/settings");
            var saved = await owner.SubmitAsync(
                settings,
                new Dictionary<string, string> { ["Input.DefaultEditionId"] = editionId }
            );
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var created = await api.PostAsync(
                "/api/v1/reviews",
                JsonContent(
                    new JsonObject
                    {
                        ["title"] = $"Review on edition {uploads}",
                        ["innovation"] = "Family group meetings",
                        ["serviceArea"] = "Children",
                        ["situationId"] = "situation.2",
                        ["stageId"] = "stage.2",
                    }
                )
            );
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var review = JsonDocument
                .Parse(await created.Content.ReadAsStringAsync())
                .RootElement.GetProperty("id")
                .GetGuid();

            // The edition's own page shows all of its text; the review's pages show most of it.
            var cells = Web
                .Framework.FrameworkLoader.Load(edition.ToJsonString())
                .Edition!.AllCells.Select(c => c.Id.Replace('.', '/'))
                .ToList();
            var editionPages = new List<string>
            {
                "/organisation/editions",
                $"/organisation/editions/{uploadId}",
            };
            var reviewPages = XssTests
                .ReviewPages(review)
                .Concat(cells.Select(c => $"/reviews/{review}/cells/{c}"))
                .Append($"/reviews/{review}/reflection")
                .Concat(
                    // Reflection's pages repeat the cells' words: two per edition are enough.
                    cells.Take(2).Select(c => $"/reviews/{review}/reflection/{c}")
                )
                .ToList();
            var shown = new StringBuilder();
            foreach (var path in editionPages.Concat(reviewPages))
            {
                shown.Append(await Render(path)).Append('\n');
            }
            var all = shown.ToString();
            foreach (var (field, indices) in placed)
            {
                editionFields.Carried(field, indices);
                if (OnlyForTheBuiltInEdition.Contains(field))
                {
                    continue;
                }
                var missing = indices.Where(i => !Shows(all, i)).ToList();
                editionFields.Shown(field, indices.Except(missing));
                run.Check(
                    missing.Count == 0,
                    $"Upload {uploads}, {field}: {missing.Count} payloads not shown as text on the edition's or its review's pages, e.g. {string.Join(" | ", missing.Take(3).Select(i => $"#{i + 1} {Payloads[i]}"))}"
                );
            }
        }
        // The payloads holding NUL, in one edition: refused, and the page listing its problems
        // (which names where each is, not the text) is shown in Chromium as the app sent it.
        var nulEditionFill = new Filler(XssPayloads.WithNul, 0);
        var nulEdition = EditionFile(nulEditionFill, uploads + 1, out _);
        var beforeNul = await owner.GetPageAsync("/organisation/editions");
        var nulUpload = await owner.UploadAsync(
            beforeNul,
            "Upload",
            "edition-with-nul.json",
            Encoding.UTF8.GetBytes(nulEdition.ToJsonString())
        );
        var nulEditionListed = (await Html.ToPageAsync(nulUpload, beforeNul.Url))
            .FindAll("#edition-problems li")
            .Select(li => li.TextContent)
            .ToList();
        var nulEditionProblems = nulEditionListed.Count(li =>
            li.Contains("U+0000", StringComparison.Ordinal)
        );
        run.Check(
            nulUpload.StatusCode == HttpStatusCode.OK
                && nulEditionProblems > 0
                && nulEditionProblems == nulEditionListed.Count,
            $"An edition with NUL in its text: {(int)nulUpload.StatusCode}, {nulEditionProblems} problems naming it"
        );
        await watch.RenderResponseAsync(beforeNul.Url, nulUpload);
        run.Check(
            editionFill.Seen.Count + nulEditionFill.Seen.Count == Payloads.Count,
            $"Editions carried {editionFill.Seen.Count + nulEditionFill.Seen.Count} of {Payloads.Count} payloads"
        );

        run.Check(
            reviewsAfterRefusals == reviewsBefore,
            "A refused file through the import page created a review"
        );

        // Every payload a file can hold was read back as text on some page, not only stored.
        run.Check(
            importFields.ShownPayloads == XssPayloads.Storable.Count,
            $"Review files: {importFields.ShownPayloads} of {XssPayloads.Storable.Count} payloads read back as text"
        );
        run.Check(
            editionFields.ShownPayloads == XssPayloads.Storable.Count,
            $"Editions: {editionFields.ShownPayloads} of {XssPayloads.Storable.Count} payloads read back as text"
        );

        // Report.
        output.WriteLine(
            $"{Payloads.Count} payloads. Review files: {imports} imports, {importFields.Slots} text fields filled ({importFields.Placements} payload placements), {importRenders} page renders, {importTime.TotalSeconds:F0} s."
        );
        importFields.Write(output);
        output.WriteLine(
            $"  Read back as text on some page: {importFields.ShownPayloads} payloads."
        );
        output.WriteLine(
            $"  Refused as it should be: one more file with the {XssPayloads.WithNul.Count} payloads holding NUL in {nulFields} fields: {(int)nulResponse.StatusCode}, {nulProblems} problems listed."
        );
        output.WriteLine(
            $"  Refused through the import page, quoting the file back: {refusals} files naming an edition the organisation lacks, {quoted.Count} payloads quoted as text."
        );
        output.WriteLine(
            $"Framework editions: {uploads} uploads, {editionFields.Slots} text fields filled ({editionFields.Placements} payload placements), {watch.Rendered - importRenders} page renders, {(clock.Elapsed - importTime).TotalSeconds:F0} s."
        );
        editionFields.Write(output);
        output.WriteLine(
            $"  Read back as text on some page: {editionFields.ShownPayloads} payloads."
        );
        output.WriteLine(
            $"  Refused as it should be: one more edition with the {XssPayloads.WithNul.Count} payloads holding NUL: {(int)nulUpload.StatusCode}, {nulEditionProblems} problems naming U+0000."
        );
        output.WriteLine(
            $"Pages rendered ({run.PagesRendered.Count} kinds, {watch.Rendered} renders): {string.Join(", ", run.PagesRendered.Order())}"
        );
        watch.Report(output);
        output.WriteLine($"Failures: {run.Failures.Count}");
        foreach (var line in run.Failures.Take(60))
        {
            output.WriteLine("  " + line);
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s in all");

        watch.AssertNothingRan();
        Assert.True(
            run.Failures.Count == 0,
            $"{run.Failures.Count} failures:\n" + string.Join("\n", run.Failures.Take(40))
        );
        Assert.True(imports >= 2 && uploads >= 2);
    }

    // --- Review files -------------------------------------------------------------------------

    private sealed record ReviewFileParts(JsonObject Json, Dictionary<string, List<int>> Placed);

    /// <summary>
    /// A whole review in the transfer format (docs/review-transfer.md) with every free-text field
    /// filled from the payloads: two rounds (the first frozen) of answers with history, a revealed
    /// reflection with individual views, actions, discussions, invitations and contributions.
    /// People are named only (no email), so the import keeps their names as given.
    /// </summary>
    private static ReviewFileParts ReviewFile(Filler fill, int number)
    {
        var placed = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        fill.StartFile();
        string Text(string field, int limit, int most = 2)
        {
            var (text, taken) = fill.Take(limit, most);
            if (!placed.TryGetValue(field, out var list))
            {
                placed[field] = list = [];
            }
            list.AddRange(taken);
            return text;
        }
        JsonObject Person(string field) => new() { ["name"] = Text(field, 100) };
        var at = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(number);
        string Time(int minutes) =>
            at.AddMinutes(minutes)
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string NewId() => Guid.NewGuid().ToString();

        JsonObject Answer(string itemId, int round, int minutes, bool notApplicable)
        {
            var prefix = $"round {round} answer";
            JsonObject Fields(JsonObject o, string what)
            {
                if (notApplicable)
                {
                    o["position"] = "NotApplicable";
                    o["notApplicableReason"] = Text($"{prefix}{what}: not-applicable reason", 500);
                }
                else
                {
                    o["position"] = "Concern";
                }
                o["reasoning"] = Text($"{prefix}{what}: reasoning", 5000);
                o["evidence"] = Text($"{prefix}{what}: evidence", 5000);
                o["voices"] = new JsonArray("Families", "Practitioners");
                o["dissent"] = Text($"{prefix}{what}: dissent", 5000);
                return o;
            }
            var earlier = Fields(new JsonObject { ["version"] = 1 }, " history");
            earlier["changedAt"] = Time(minutes);
            earlier["changedBy"] = Person($"{prefix} history: changed by");
            var answer = new JsonObject { ["id"] = NewId(), ["itemId"] = itemId };
            Fields(answer, "");
            answer["version"] = 2;
            answer["updatedAt"] = Time(minutes + 1);
            answer["updatedBy"] = Person($"{prefix}: updated by");
            answer["history"] = new JsonArray(earlier);
            return answer;
        }

        // The review's own fields first, so that they always take payloads.
        var source = new JsonObject
        {
            ["installation"] = Text("source: installation", 200),
            ["organisation"] = Text("source: organisation", 200),
        };
        var framework = new JsonObject
        {
            ["id"] = "peisc",
            ["version"] = "2021",
            ["title"] = Text("framework title (not shown: the edition's own title is)", 500),
        };
        var review = new JsonObject
        {
            ["id"] = NewId(),
            ["title"] = Text("review: title", 200, 3),
            ["innovation"] = Text("review: innovation", 5000, 4),
            ["serviceArea"] = "Children",
            ["situationId"] = "situation.2",
            ["partners"] = Text("review: partners", 1000, 4),
            ["createdAt"] = Time(0),
            ["createdBy"] = Person("review: created by"),
            ["updatedAt"] = Time(450),
        };
        var firstItems = First.Items.Select(i => i.Id).ToList();
        var secondItems = Second.Items.Select(i => i.Id).ToList();
        var round1 = new JsonObject
        {
            ["id"] = NewId(),
            ["number"] = 1,
            ["stageId"] = "stage.1",
            ["startedAt"] = Time(0),
            ["startedBy"] = Person("round started by"),
            ["frozenAt"] = Time(100),
            ["answers"] = new JsonArray(
                firstItems.Select((item, i) => (JsonNode)Answer(item, 1, 10 + i, i == 0)).ToArray()
            ),
            ["reflections"] = new JsonArray(),
            ["individualViews"] = new JsonArray(),
        };
        var round2Items = firstItems.Concat(secondItems).Order(StringComparer.Ordinal).ToList();
        var views = new JsonArray();
        foreach (var item in firstItems.Order(StringComparer.Ordinal))
        {
            foreach (var k in new[] { 1, 2 })
            {
                views.Add(
                    new JsonObject
                    {
                        ["itemId"] = item,
                        ["person"] = Person("individual view: person"),
                        ["position"] = "PartlyAddressed",
                        ["reasoning"] = Text("individual view: reasoning", 2000, 3),
                        ["minorityView"] = Text("individual view: minority view", 2000, 3),
                        ["minorityViewNamed"] = k == 1,
                        ["updatedAt"] = Time(150 + k),
                    }
                );
            }
        }
        var round2 = new JsonObject
        {
            ["id"] = NewId(),
            ["number"] = 2,
            ["stageId"] = "stage.2",
            ["startedAt"] = Time(110),
            ["startedBy"] = Person("round started by"),
            ["answers"] = new JsonArray(
                round2Items
                    .Select((item, i) => (JsonNode)Answer(item, 2, 120 + i, i % 5 == 0))
                    .ToArray()
            ),
            ["reflections"] = new JsonArray(
                new JsonObject
                {
                    ["cellId"] = First.Id,
                    ["openedAt"] = Time(140),
                    ["openedBy"] = Person("reflection: opened by"),
                    ["revealedAt"] = Time(160),
                    ["revealedBy"] = Person("reflection: revealed by"),
                }
            ),
            ["individualViews"] = views,
        };
        var actions = new JsonArray();
        for (var i = 0; i < 8; i++)
        {
            actions.Add(
                new JsonObject
                {
                    ["id"] = NewId(),
                    ["title"] = Text("action: title", 500, 3),
                    ["owner"] = Person("action: owner (not a member)"),
                    ["dueDate"] = "2027-01-31",
                    ["status"] = i % 2 == 0 ? "Open" : "InProgress",
                    ["itemIds"] = new JsonArray(firstItems[i % firstItems.Count]),
                    ["createdAt"] = Time(200 + i),
                    ["createdBy"] = Person("action: raised by"),
                    ["openedInRound"] = i < 4 ? 1 : 2,
                }
            );
        }
        var discussions = new JsonArray();
        foreach (var item in new[] { firstItems[0], firstItems[1], secondItems[0] })
        {
            var comments = new JsonArray();
            for (var c = 0; c < 3; c++)
            {
                comments.Add(
                    new JsonObject
                    {
                        ["id"] = NewId(),
                        ["author"] = Person("comment: author"),
                        ["body"] = Text("comment: body", 4000, 3),
                        ["createdAt"] = Time(300 + c),
                        ["mentions"] = new JsonArray(),
                    }
                );
            }
            var discussion = new JsonObject { ["itemId"] = item };
            if (item == firstItems[1])
            {
                discussion["resolvedAt"] = Time(310);
                discussion["resolvedBy"] = Person("discussion: resolved by");
            }
            discussion["comments"] = comments;
            discussions.Add(discussion);
        }
        var invitations = new JsonArray();
        var contributions = new JsonArray();
        foreach (var (group, k) in new[] { ("Families", 0), ("Carers", 1) })
        {
            var invitationId = NewId();
            var asked = new[] { firstItems[k], firstItems[k + 2] };
            invitations.Add(
                new JsonObject
                {
                    ["id"] = invitationId,
                    ["group"] = group,
                    ["publicName"] = Text("invitation: public name", 200),
                    ["itemIds"] = new JsonArray(asked.Select(a => (JsonNode)a).ToArray()),
                    ["consentStatement"] = Text("invitation: consent statement", 4000, 3),
                    ["safeguardingContact"] = Text("invitation: safeguarding contact", 1000),
                    ["createdAt"] = Time(400 + k),
                    ["createdBy"] = Person("invitation: made by"),
                    ["expiresAt"] = "2099-01-01T00:00:00Z",
                }
            );
            for (var c = 0; c < 2; c++)
            {
                contributions.Add(
                    new JsonObject
                    {
                        ["id"] = NewId(),
                        ["invitationId"] = invitationId,
                        ["name"] = Text("contribution: name", 100, 1),
                        ["submittedAt"] = Time(410 + k * 2 + c),
                        ["responses"] = new JsonArray(
                            asked
                                .Select(a =>
                                    (JsonNode)
                                        new JsonObject
                                        {
                                            ["itemId"] = a,
                                            ["text"] = Text("contribution: response", 3000, 3),
                                        }
                                )
                                .ToArray()
                        ),
                    }
                );
            }
        }
        var json = new JsonObject
        {
            ["schema"] = "peisc-review",
            ["schemaVersion"] = 1,
            ["exportedAt"] = Time(500),
            ["source"] = source,
            ["framework"] = framework,
            ["review"] = review,
            ["rounds"] = new JsonArray(round1, round2),
            ["actions"] = actions,
            ["discussions"] = discussions,
            ["invitations"] = invitations,
            ["contributions"] = contributions,
        };
        return new ReviewFileParts(json, placed);
    }

    /// <summary>The pages of an imported review that show each kind of field.</summary>
    private static List<string> ShownOn(string field, Guid id, List<string> links)
    {
        var r = $"/reviews/{id}";
        var firstCell = $"{r}/cells/{First.Id.Replace('.', '/')}";
        var secondCell = $"{r}/cells/{Second.Id.Replace('.', '/')}";
        var history = First
            .Items.Concat(Second.Items)
            .Select(i => $"{r}/items/{i.Id}/history")
            .ToList();
        return field switch
        {
            "review: title" => [r, $"{r}/one-page"],
            "round 1 answer: reasoning" => [$"{r}/compare"],
            "round 2 answer: updated by" => [$"{r}/report"],
            "invitation: consent statement" or "invitation: safeguarding contact" => links,
            "review: innovation" or "review: partners" => [r, $"{r}/report"],
            "source: installation" or "source: organisation" => ["/organisation/audit"],
            _ when field.StartsWith("round 2 answer: ", StringComparison.Ordinal) =>
            [
                firstCell,
                secondCell,
            ],
            _ when field.StartsWith("round 1 answer history", StringComparison.Ordinal)
                    || field.StartsWith("round 2 answer history", StringComparison.Ordinal) =>
                history,
            _ when field.StartsWith("individual view", StringComparison.Ordinal)
                    || field == "reflection: revealed by" =>
            [
                $"{r}/reflection/{First.Id.Replace('.', '/')}",
            ],
            "action: title" or "action: owner (not a member)" => [$"{r}/actions"],
            _ when field.StartsWith("comment", StringComparison.Ordinal)
                    || field.StartsWith("discussion", StringComparison.Ordinal) =>
            [
                $"{r}/items/{First.Items[0].Id}/discussion",
                $"{r}/items/{First.Items[1].Id}/discussion",
                $"{r}/items/{Second.Items[0].Id}/discussion",
            ],
            _ when field.StartsWith("invitation: ", StringComparison.Ordinal)
                    && field != "invitation: made by" => [$"{r}/voices"],
            _ when field.StartsWith("contribution", StringComparison.Ordinal) =>
            [
                $"{r}/voices",
                firstCell,
            ],
            // Records that keep no name (who created the review, started a round, raised an
            // action, made an invitation) show the importer; the file's framework title is
            // only compared with the edition's; who opened a reflection, and a frozen round's
            // evidence, dissent, reasons and last saver, are kept for the record and the export
            // but no page shows them. They are still in every page rendered, and must not run.
            _ => [],
        };
    }

    // --- Framework editions -------------------------------------------------------------------

    // The introduction, guidance, principles and domain descriptions are shown on the home page
    // and the framework pages, which show the built-in edition only: no page shows an uploaded
    // edition's. They are still in every page rendered, and must not run there.
    private static readonly HashSet<string> OnlyForTheBuiltInEdition = new(StringComparer.Ordinal)
    {
        "$.shortTitle",
        "$.about.heading",
        "$.about.paragraphs[]",
        "$.usingTheFramework.heading",
        "$.usingTheFramework.paragraphs[]",
        "$.usingTheFramework.domainList[]",
        "$.source.articleSentence",
        "$.domains[].description",
        "$.sections[].principles[].text",
    };

    // Values that are identifiers or metadata with a fixed shape, not text shown as words.
    private static readonly HashSet<string> NotText = new(StringComparer.Ordinal)
    {
        "$schema",
        "id",
        "domain",
        "stage",
        "itemsKind",
        "language",
        "url",
    };

    /// <summary>
    /// The built-in edition with a new id and every text value replaced by payloads: titles,
    /// introduction and guidance paragraphs, source and attribution, situations, domains, stages,
    /// sections, principles, cell questions and their introductions, and every item.
    /// </summary>
    private static JsonObject EditionFile(
        Filler fill,
        int number,
        out Dictionary<string, List<int>> placed
    )
    {
        var edition = JsonNode
            .Parse(File.ReadAllText(Peisc.Tests.RepoFiles.EditionPath))!
            .AsObject();
        fill.StartFile();
        var fields = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                        {
                            if (!NotText.Contains(key))
                            {
                                o[key] = Fill(path + "." + key);
                            }
                        }
                        else
                        {
                            Walk(value, path + "." + key);
                        }
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                        {
                            a[i] = Fill(path + "[]");
                        }
                        else
                        {
                            Walk(a[i], path + "[]");
                        }
                    }
                    break;
            }
        }
        string Fill(string field)
        {
            // The edition's title and version are kept in columns of 300 and 100 characters.
            var limit = field switch
            {
                "$.title" => 300,
                "$.version" => 100,
                _ => 2000,
            };
            var (text, taken) = fill.Take(limit, 3);
            if (!fields.TryGetValue(field, out var list))
            {
                fields[field] = list = [];
            }
            list.AddRange(taken);
            return text;
        }
        Walk(edition, "$");
        edition["id"] = $"xss-edition-{number}";
        placed = fields;
        return edition;
    }

    // --- Shared -------------------------------------------------------------------------------

    /// <summary>
    /// Hands out payloads of a pool in turn, cycling through it: each text field takes up to a few
    /// (as many as fit its limit), so every payload sits beside others as it would in real text.
    /// A file never takes more than the whole pool, so no payload is in one file twice and its
    /// read-back names the field it was in; a file that would is left with plain words.
    /// </summary>
    private sealed class Filler(IReadOnlyList<int> pool, int start)
    {
        private int _next = start % pool.Count;
        private int _taken;
        private int _inFile;

        public HashSet<int> Seen { get; } = [];
        public int Passes => _taken / pool.Count;

        public void StartFile() => _inFile = 0;

        public (string Text, List<int> Taken) Take(int limit, int most)
        {
            var taken = new List<int>();
            var length = 0;
            while (
                taken.Count < most
                && _inFile < pool.Count
                && length + Payloads[pool[_next]].Length + 1 <= limit
            )
            {
                length += Payloads[pool[_next]].Length + 1;
                taken.Add(pool[_next]);
                Seen.Add(pool[_next]);
                _next = (_next + 1) % pool.Count;
                _taken++;
                _inFile++;
            }
            return taken.Count == 0
                ? ("Plain words", taken)
                : (string.Join(" ", taken.Select(i => Payloads[i])), taken);
        }
    }

    private sealed class FieldTally
    {
        private readonly SortedDictionary<
            string,
            (int Slots, HashSet<int> Carried, HashSet<int> Shown, bool Checked)
        > _fields = new(StringComparer.Ordinal);

        public int Slots => _fields.Values.Sum(f => f.Slots);
        public int Placements { get; private set; }

        public int ShownPayloads => _fields.Values.SelectMany(f => f.Shown).Distinct().Count();

        public void Carried(string field, List<int> payloads)
        {
            var entry = _fields.GetValueOrDefault(field, (0, [], [], false));
            entry.Carried.UnionWith(payloads);
            Placements += payloads.Count;
            _fields[field] = (entry.Slots + 1, entry.Carried, entry.Shown, entry.Checked);
        }

        public void Shown(string field, IEnumerable<int> payloads)
        {
            var entry = _fields[field];
            entry.Shown.UnionWith(payloads);
            _fields[field] = (entry.Slots, entry.Carried, entry.Shown, true);
        }

        public void Write(ITestOutputHelper output)
        {
            foreach (var (field, entry) in _fields)
            {
                output.WriteLine(
                    $"  {field}: {entry.Carried.Count} payloads"
                        + (entry.Checked ? $", {entry.Shown.Count} shown as text" : ", not shown")
                );
            }
        }
    }

    private static Web.Framework.Cell Cell(string id) =>
        ReviewData.Peisc.AllCells.Single(c => c.Id == id);

    private static StringContent JsonContent(JsonObject json) =>
        new(json.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<HttpClient> ApiClientAsync(HttpClient owner)
    {
        var api = new HttpClient { BaseAddress = BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            await TokenPage.CreateAsync(owner, "Upload checks")
        );
        return api;
    }
}
