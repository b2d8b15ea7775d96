using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>
/// Writes that add a row the first time (a cell's reflection, a person's view, an item's thread,
/// an organisation's own wording, an uploaded edition), sent from twelve tabs at once: two requests
/// both find nothing and the database's unique index refuses the second insert. None may fail; the
/// result is as if they had come one after the other.
/// </summary>
public sealed class ManyTabsAtOnceTests
{
    private const int Tabs = 12;
    private const string Item = "human-rights.process.1";

    private static Task<HttpResponseMessage[]> AllAtOnce(Func<Task<HttpResponseMessage>> send) =>
        Task.WhenAll(Enumerable.Range(0, Tabs).Select(_ => Task.Run(send)));

    private static void AllTaken(HttpResponseMessage[] responses) =>
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));

    [Theory, BothDatabases]
    public async Task OpeningReflection_OpensEachCellOnceAndAuditsOnce(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var page = await client.GetPageAsync($"/reviews/{review.Id}/reflection");

        AllTaken(await AllAtOnce(() => client.SubmitAsync(page, formSelector: "main form")));

        var cells = await app.QueryAsync(
            d =>
                d.Reflections.Where(r => r.ReviewId == review.Id)
                    .Select(r => r.CellId)
                    .ToListAsync(),
            org.Id
        );
        Assert.Equal(12, cells.Count);
        Assert.Equal(12, cells.Distinct().Count());
        Assert.Single(await app.AuditAsync(org.Id), e => e.Action == "reflection.opened");
    }

    [Theory, BothDatabases]
    public async Task RecordingAView_KeepsOneViewPerPerson(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        await facilitator.SubmitAsync(
            await facilitator.GetPageAsync($"/reviews/{review.Id}/reflection"),
            formSelector: "main form"
        );
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync(
            $"/reviews/{review.Id}/reflection/human-rights/process"
        );

        AllTaken(
            await AllAtOnce(() =>
                client.SubmitAsync(
                    page,
                    new Dictionary<string, string>
                    {
                        ["Views[0].Position"] = nameof(Position.Concern),
                        ["Views[0].Reasoning"] = "Consent is not asked for twice",
                    }
                )
            )
        );

        var view = Assert.Single(
            await app.QueryAsync(
                d => d.IndividualViews.Where(v => v.ItemId == Item).ToListAsync(),
                org.Id
            )
        );
        Assert.Equal(Position.Concern, view.Position);
        Assert.Equal("Consent is not asked for twice", view.Reasoning);
        // Each save is a save: audited each time, as from one tab after another.
        Assert.Equal(
            Tabs,
            (await app.AuditAsync(org.Id)).Count(e => e.Action == "reflection.view-saved")
        );
    }

    [Theory, BothDatabases]
    public async Task ResolvingADiscussion_KeepsOneThread(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.SubmitAndFollowAsync(
            await client.GetPageAsync($"/reviews/{review.Id}/items/{Item}/discussion"),
            new Dictionary<string, string> { ["Input.Body"] = "Is this settled?" }
        );

        AllTaken(
            await AllAtOnce(() =>
                client.SubmitAsync(page, formSelector: "main form[action*='Resolve']")
            )
        );

        var thread = Assert.Single(
            await app.QueryAsync(d => d.CommentThreads.ToListAsync(), org.Id)
        );
        Assert.NotNull(thread.ResolvedAt);
        Assert.Equal(
            Tabs,
            (await app.AuditAsync(org.Id)).Count(e => e.Action == "comment.thread-resolved")
        );
    }

    [Theory, BothDatabases]
    public async Task SavingPlainLanguage_KeepsOneWording(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Facilitator]);
        var client = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var page = await client.GetPageAsync($"/organisation/plain-language/{Item}");

        AllTaken(
            await AllAtOnce(() =>
                client.SubmitAsync(
                    page,
                    new Dictionary<string, string> { ["Text"] = "Did anyone ask you first?" }
                )
            )
        );

        var wording = Assert.Single(
            await app.QueryAsync(d => d.PlainLanguageTexts.ToListAsync(), org.Id)
        );
        Assert.Equal("Did anyone ask you first?", wording.Text);
        Assert.Equal(
            Tabs,
            (await app.AuditAsync(org.Id)).Count(e => e.Action == AuditActions.PlainLanguageChanged)
        );
    }

    [Theory, BothDatabases]
    public async Task UploadingAnEdition_AddsItOnceAndTellsTheOthers(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var client = await app.SignedInAsync(org[MemberRole.Owner]);
        var page = await client.GetPageAsync("/organisation/editions");
        var edition = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.EditionPath))!;
        edition["id"] = "our-plain-english";
        var file = Encoding.UTF8.GetBytes(edition.ToJsonString());

        var responses = await AllAtOnce(() =>
            client.UploadAsync(page, "Upload", "ours.json", file)
        );

        // One upload is taken; any that lost the race are told the id is already theirs.
        Assert.All(
            responses,
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.OK })
        );
        Assert.Single(await app.QueryAsync(d => d.OrganisationEditions.ToListAsync(), org.Id));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            Assert.Contains(
                "already has an edition with the id",
                await refused.Content.ReadAsStringAsync(),
                StringComparison.Ordinal
            );
        }
        var audit = await app.AuditAsync(org.Id);
        Assert.Single(audit, e => e.Action == AuditActions.EditionUploaded);
        Assert.Equal(
            responses.Count(r => r.StatusCode == HttpStatusCode.OK),
            audit.Count(e => e.Action == AuditActions.EditionRejected)
        );
    }

    [Theory, BothDatabases]
    public async Task FirstAnswerInALiveSession_MakesOneParticipantOfAMember(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Facilitator, MemberRole.Contributor]
        );
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id, "human-rights.process");
        var client = await app.SignedInAsync(org[MemberRole.Contributor]);
        var page = await client.GetPageAsync($"/workshops/{session.Id}/take-part");

        // A double tap, or twelve: the member's first answer makes them a participant once.
        AllTaken(await AllAtOnce(() => client.SubmitPositionAsync(page, Position.Concern)));

        var participants = await app.QueryAsync(
            d => d.WorkshopParticipants.Where(p => p.SessionId == session.Id).ToListAsync(),
            org.Id
        );
        Assert.Single(participants);
        Assert.Single(await app.QueryAsync(d => d.WorkshopSubmissions.ToListAsync(), org.Id));
        Assert.Single(await app.AuditAsync(org.Id), e => e.Action == "workshop.joined");
        // And the session goes on working for them.
        var again = await client.GetPageAsync($"/workshops/{session.Id}/take-part");
        AllTaken([await client.SubmitPositionAsync(again, Position.Addressed)]);
    }
}
