using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class EditionUploadTests
{
    private const string OwnId = "peisc-plain-english";
    private const string OwnTitle = "PEISC in plain English";

    [Theory, BothDatabases]
    public async Task Upload_ValidEditionByOwner_IsListedAndAudited(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);

        var page = await UploadAsync(owner, OwnEdition(), "plain-english.json");

        Assert.Equal("Framework editions", page.Heading);
        Assert.Empty(page.ErrorSummary);
        Assert.Contains($"{OwnTitle} added", page.Text, StringComparison.Ordinal);
        var row = EditionRow(page, OwnId);
        Assert.NotNull(row);
        Assert.Contains(OwnTitle, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Uploaded", row.TextContent, StringComparison.Ordinal);
        var audit = await app.AuditAsync(organisation.Id);
        var uploaded = Assert.Single(audit, e => e.Action == AuditActions.EditionUploaded);
        Assert.Equal(organisation.Owner.Id, uploaded.ActorUserId);
        Assert.Contains(OwnId, uploaded.Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Upload_ValidEdition_CanBeChosenForNewReviews(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        await UploadAsync(owner, OwnEdition(), "plain-english.json");

        var settings = await owner.GetPageAsync("/organisation/settings");
        var option = settings.Find(
            $"input[type=radio][name='Input.DefaultEditionId'][value='{OwnId}']"
        );
        Assert.NotNull(option);
        var saved = await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.DefaultEditionId"] = OwnId }
        );
        Assert.Empty(saved.ErrorSummary);

        var home = await owner.GetPageAsync("/organisation");
        Assert.Contains(OwnTitle, SummaryValue(home, "Framework edition for new reviews"));
        var editions = await owner.GetPageAsync("/organisation/editions");
        Assert.Contains("Yes", EditionRow(editions, OwnId)!.TextContent, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Upload_InvalidJson_IsRefusedWithWhereTheProblemIsAndSavesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var text = OwnEdition().ToJsonString();

        var page = await UploadAsync(owner, text[..(text.Length / 2)], "broken.json");

        var problem = Assert.Single(Problems(page));
        Assert.Contains("not valid JSON", problem, StringComparison.Ordinal);
        Assert.Matches(@"\(at \$[^)]*\)", problem);
        Assert.Contains("Nothing was saved", page.Text, StringComparison.Ordinal);
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task Upload_EditionWithThreeProblems_ListsEveryProblemWithItsPathAndSavesNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var edition = OwnEdition();
        var cell = edition["sections"]![1]!["cells"]![0]!;
        cell["question"] = "";
        cell["items"]![1]!["id"] = cell["items"]![0]!["id"]!.GetValue<string>();
        edition["sections"]![0]!["cells"]![1]!["items"]![0]!["stage"] = "stage.99";

        var page = await UploadAsync(owner, edition, "three-problems.json");

        var problems = Problems(page);
        AssertProblem(problems, "$.sections[1].cells[0].question", "empty");
        AssertProblem(problems, "$.sections[1].cells[0].items[1].id", "already used");
        AssertProblem(problems, "$.sections[0].cells[1].items[0].stage", "stage.99");
        Assert.Equal(3, problems.Count);
        Assert.Contains("The framework file has 3 problems", page.Text, StringComparison.Ordinal);
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task Upload_EditionWithReferenceProblems_ListsEveryProblemWithItsPathAndSavesNothing(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var edition = OwnEdition();
        var cell = edition["sections"]![1]!["cells"]![0]!;
        cell["items"]![1]!["id"] = cell["items"]![0]!["id"]!.GetValue<string>();
        edition["sections"]![0]!["cells"]![1]!["items"]![0]!["stage"] = "stage.99";

        var page = await UploadAsync(owner, edition, "two-problems.json");

        var problems = Problems(page);
        Assert.Equal(2, problems.Count);
        AssertProblem(problems, "$.sections[1].cells[0].items[1].id", "already used");
        AssertProblem(problems, "$.sections[0].cells[1].items[0].stage", "stage.99");
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task Upload_WithTheBuiltInId_IsRefusedBecauseTheBuiltInEditionCannotBeChanged(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);

        var page = await UploadAsync(
            owner,
            await File.ReadAllTextAsync(RepoFiles.EditionPath),
            "peisc.json"
        );

        var problem = Assert.Single(Problems(page));
        Assert.Contains("built-in edition", problem, StringComparison.Ordinal);
        Assert.Contains("cannot be changed", problem, StringComparison.Ordinal);
        Assert.Contains("$.id", problem, StringComparison.Ordinal);
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task Upload_TheSameIdTwice_IsRefusedTheSecondTime(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        await UploadAsync(owner, OwnEdition(), "first.json");

        var page = await UploadAsync(owner, OwnEdition(), "second.json");

        var problem = Assert.Single(Problems(page));
        Assert.Contains("already has an edition", problem, StringComparison.Ordinal);
        Assert.Equal(
            1,
            await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), organisation.Id)
        );
    }

    [Theory, BothDatabases]
    public async Task Upload_FileJustOver2MB_IsRefusedWithAClearMessage(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);

        var page = await UploadAsync(owner, Padded(OwnEdition(), 2 * 1024 * 1024 + 1), "big.json");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.ErrorSummary, m => m.Contains("2 MB", StringComparison.Ordinal));
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task Upload_FileOf5MB_IsRefusedWithAClearMessage(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);

        var page = await UploadAsync(owner, Padded(OwnEdition(), 5 * 1024 * 1024), "huge.json");

        Assert.True((int)page.Status < 500, $"Answered {(int)page.Status}: {page.Heading}");
        Assert.Contains("2 MB", page.Text, StringComparison.Ordinal);
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task EditionsPage_Viewer_SeesTheListButNoUploadForm(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        await UploadAsync(owner, OwnEdition(), "plain-english.json");
        var viewer = await app.SignedInAsync(organisation[MemberRole.Viewer]);

        var page = await viewer.GetPageAsync("/organisation/editions");

        Assert.NotNull(EditionRow(page, "peisc"));
        Assert.NotNull(EditionRow(page, OwnId));
        Assert.Null(page.Find("input[type=file]"));
        Assert.Null(page.Find("main form"));
    }

    [Theory, BothDatabases]
    public async Task Upload_ByViewer_IsRefusedAndSavesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var viewer = await app.SignedInAsync(organisation[MemberRole.Viewer]);
        var page = await viewer.GetPageAsync("/organisation/editions");
        Assert.Null(page.Find("input[type=file]"));
        // The viewer's own valid token, from a page where they do have a form.
        var token = (await viewer.GetPageAsync("/organisation/switch")).AntiforgeryToken;
        Assert.NotNull(token);

        using var body = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            {
                new ByteArrayContent(Encoding.UTF8.GetBytes(OwnEdition().ToJsonString())),
                "Upload",
                "sneaky.json"
            },
        };
        var response = await viewer.PostAsync("/organisation/editions", body);

        AssertAccessDenied(response);
        await AssertNothingSavedAsync(app, organisation);
    }

    [Theory, BothDatabases]
    public async Task DeleteEdition_OwnerConfirms_RemovesItAndAuditsIt(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var list = await UploadAsync(owner, OwnEdition(), "plain-english.json");
        var edition = await owner.GetPageAsync(EditionLink(list, OwnId));
        Assert.Equal(OwnTitle, edition.Heading);

        var after = await owner.SubmitAndFollowAsync(
            edition,
            new Dictionary<string, string> { ["ConfirmDelete"] = "true" }
        );

        Assert.Equal("/organisation/editions", after.Url.AbsolutePath);
        Assert.Contains($"{OwnTitle} deleted", after.Text, StringComparison.Ordinal);
        Assert.Null(EditionRow(after, OwnId));
        Assert.Equal(
            0,
            await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), organisation.Id)
        );
        Assert.Contains(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.EditionDeleted
        );
        await owner.GetPageAsync(edition.Url.AbsolutePath, HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task DeleteEdition_WithoutTickingTheBox_AsksForConfirmationAndKeepsIt(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var list = await UploadAsync(owner, OwnEdition(), "plain-english.json");
        var edition = await owner.GetPageAsync(EditionLink(list, OwnId));

        var after = await owner.SubmitAndFollowAsync(edition);

        Assert.Contains(
            "Tick the box to confirm that you want to delete this edition",
            after.ErrorSummary
        );
        Assert.Equal(
            1,
            await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), organisation.Id)
        );
    }

    [Theory, BothDatabases]
    public async Task DeleteEdition_UsedForNewReviews_IsRefusedAndKept(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(organisation.Owner);
        var list = await UploadAsync(owner, OwnEdition(), "plain-english.json");
        var settings = await owner.GetPageAsync("/organisation/settings");
        await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.DefaultEditionId"] = OwnId }
        );

        var edition = await owner.GetPageAsync(EditionLink(list, OwnId));
        Assert.Null(edition.Find("main form"));
        Assert.Contains("New reviews use this edition", edition.Text, StringComparison.Ordinal);
        // A request made anyway, as a stale page would send it.
        var response = await owner.PostAsync(
            edition.Url.AbsolutePath + "?handler=Delete",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = settings.AntiforgeryToken!,
                    ["ConfirmDelete"] = "true",
                }
            )
        );
        var refused = await owner.FollowAsync(response, edition.Url);

        Assert.Contains(
            "Choose another edition for new reviews before deleting this one",
            refused.ErrorSummary
        );
        Assert.Equal(
            1,
            await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), organisation.Id)
        );
        Assert.DoesNotContain(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.EditionDeleted
        );
    }

    private static JsonNode OwnEdition()
    {
        var edition = JsonNode.Parse(File.ReadAllText(RepoFiles.EditionPath))!;
        edition["id"] = OwnId;
        edition["title"] = OwnTitle;
        return edition;
    }

    // Valid JSON of at least the given size: the edition with a long $schema reference.
    private static string Padded(JsonNode edition, int bytes)
    {
        edition["$schema"] = new string('x', bytes);
        return edition.ToJsonString();
    }

    private static Task<Page> UploadAsync(HttpClient client, JsonNode edition, string fileName) =>
        UploadAsync(client, edition.ToJsonString(), fileName);

    private static async Task<Page> UploadAsync(HttpClient client, string text, string fileName)
    {
        var page = await client.GetPageAsync("/organisation/editions");
        var response = await client.UploadAsync(
            page,
            "Upload",
            fileName,
            Encoding.UTF8.GetBytes(text)
        );
        return await client.FollowAsync(response, page.Url);
    }

    private static List<string> Problems(Page page) =>
        page.FindAll("#edition-problems li").Select(li => Page.Normalise(li.TextContent)).ToList();

    private static void AssertProblem(List<string> problems, string path, string words) =>
        Assert.True(
            problems.Any(p =>
                p.Contains($"(at {path})", StringComparison.Ordinal)
                && p.Contains(words, StringComparison.Ordinal)
            ),
            $"No problem at {path} mentioning '{words}' in:\n" + string.Join("\n", problems)
        );

    private static AngleSharp.Dom.IElement? EditionRow(Page page, string editionId) =>
        page.FindAll("main table tbody tr")
            .FirstOrDefault(tr =>
                tr.QuerySelectorAll("code").Any(c => c.TextContent.Trim() == editionId)
            );

    private static string EditionLink(Page page, string editionId)
    {
        var link = EditionRow(page, editionId)?.QuerySelector("a");
        Assert.NotNull(link);
        return link.GetAttribute("href")!;
    }

    private static string SummaryValue(Page page, string key) =>
        Page.Normalise(
            page.FindAll(".govuk-summary-list__row")
                .Single(r =>
                    Page.Normalise(r.QuerySelector(".govuk-summary-list__key")!.TextContent) == key
                )
                .QuerySelector(".govuk-summary-list__value")!
                .TextContent
        );

    private static void AssertAccessDenied(HttpResponseMessage response)
    {
        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
                || (
                    response.StatusCode == HttpStatusCode.Redirect
                    && response.LocationPath() == "/account/access-denied"
                ),
            $"Expected access denied, got {(int)response.StatusCode} {response.Headers.Location}"
        );
    }

    private static async Task AssertNothingSavedAsync(TestApp app, TestOrganisation organisation)
    {
        Assert.Equal(
            0,
            await app.QueryAsync(d => d.OrganisationEditions.CountAsync(), organisation.Id)
        );
        Assert.DoesNotContain(
            await app.AuditAsync(organisation.Id),
            e => e.Action == AuditActions.EditionUploaded
        );
    }
}
