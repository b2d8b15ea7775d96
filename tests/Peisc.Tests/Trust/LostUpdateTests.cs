using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>
/// trust.md R3 under load: 50 people, each with their own access token, make 20 edits each through the
/// API at the same time. Every edit the app acknowledged must be in the answer's history, at the version
/// it was acknowledged with, in the order its editor made them; nothing else may be there. (The conflict
/// page with both texts is checked in ReviewPagesTests and the API's 409 in ReviewsApiTests.)
/// </summary>
[Trait("Stage", "Heavy")]
public sealed class LostUpdateTests(ITestOutputHelper output)
{
    private const int Editors = 50;
    private const int EditsEach = 20;

    // Bounds: on one answer each edit may meet many conflicts before it lands.
    private const int MostAttemptsPerEditor = 20_000;
    private static readonly TimeSpan MostTime = TimeSpan.FromMinutes(5);

    private sealed record Edit(int Editor, int Number, int Version, string Reasoning);

    [Theory, BothDatabases]
    public async Task FiftyEditorsOnOneAnswer_TwentyEditsEach_LoseNoAcknowledgedEdit(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var clients = await EditorsAsync(app, org);
        const string item = "human-rights.process.1";
        var url = new Uri($"/api/v1/reviews/{review.Id}/answers/{item}", UriKind.Relative);
        var acknowledged = new ConcurrentQueue<Edit>();
        var conflicts = 0;
        using var limit = new CancellationTokenSource(MostTime);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(
            clients.Select(
                async (client, editor) =>
                {
                    // Each editor reads the answer, then saves; told of a conflict, they take the
                    // version they were shown and send their text again, as the conflict page offers.
                    var version = (
                        await (await client.GetAsync(url, limit.Token)).JsonAsync(HttpStatusCode.OK)
                    ).Number("version");
                    var attempts = 0;
                    for (var number = 1; number <= EditsEach; )
                    {
                        Assert.True(
                            ++attempts <= MostAttemptsPerEditor,
                            $"Editor {editor} made {MostAttemptsPerEditor} attempts without finishing"
                        );
                        var reasoning = $"Editor {editor}, edit {number}";
                        using var response = await client.PutJsonAsync(
                            url.ToString(),
                            new
                            {
                                position = "Concern",
                                reasoning,
                                version,
                            }
                        );
                        if (response.StatusCode == HttpStatusCode.Conflict)
                        {
                            Interlocked.Increment(ref conflicts);
                            var current = (await response.JsonAsync()).GetProperty("current");
                            Assert.True(current.Number("version") > version);
                            version = current.Number("version");
                            // A moment to read what the other person saved, as a person would; without
                            // it fifty editors spend most of the run sending saves that cannot land.
                            await Task.Delay(Random.Shared.Next(1, 20), limit.Token);
                            continue;
                        }
                        var saved = await response.JsonAsync(HttpStatusCode.OK);
                        Assert.Equal(reasoning, saved.Text("reasoning"));
                        version = saved.Number("version");
                        acknowledged.Enqueue(new Edit(editor, number, version, reasoning));
                        number++;
                    }
                }
            )
        );
        clock.Stop();

        var history = await app.QueryAsync(
            d =>
                d.AnswerChanges.Where(c => c.ReviewId == review.Id && c.ItemId == item)
                    .OrderBy(c => c.Version)
                    .Select(c => new { c.Version, c.Reasoning })
                    .ToListAsync(),
            org.Id
        );
        var stored = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ReviewId == review.Id && a.ItemId == item),
            org.Id
        );
        var saves = await app.QueryAsync(
            d =>
                d.AuditEvents.CountAsync(e =>
                    e.Action == "answer.saved" && e.EntityId == stored.Id.ToString()
                ),
            org.Id
        );
        output.WriteLine(
            $"{db}: {Editors} editors x {EditsEach} edits on one answer: {acknowledged.Count} acknowledged, {conflicts} conflicts told and retried, {history.Count} versions in the history, in {clock.Elapsed.TotalSeconds:0.0} s"
        );

        Assert.Equal(Editors * EditsEach, acknowledged.Count);
        // The history is exactly the acknowledged edits: versions 1..N with no gap, each carrying the
        // text acknowledged at that version, so none was overwritten unseen.
        Assert.Equal(Enumerable.Range(1, acknowledged.Count), history.Select(h => h.Version));
        Assert.Equal(
            acknowledged.OrderBy(e => e.Version).Select(e => e.Reasoning),
            history.Select(h => h.Reasoning)
        );
        foreach (var editor in acknowledged.GroupBy(e => e.Editor))
        {
            Assert.Equal(
                Enumerable.Range(1, EditsEach),
                editor.OrderBy(e => e.Version).Select(e => e.Number)
            );
        }
        Assert.Equal(
            (acknowledged.Count, history[^1].Reasoning),
            (stored.Version, stored.Reasoning)
        );
        Assert.Equal(acknowledged.Count, saves);
    }

    [Theory, BothDatabases]
    public async Task FiftyEditorsOnTheirOwnAnswers_TwentyEditsEach_AllLandWithoutConflict(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var clients = await EditorsAsync(app, org);
        var items = ReviewData
            .Peisc.AllCells.SelectMany(c => c.Items)
            .Take(Editors)
            .Select(i => i.Id)
            .ToList();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(
            clients.Select(
                async (client, editor) =>
                {
                    var version = 0;
                    for (var number = 1; number <= EditsEach; number++)
                    {
                        var reasoning = $"Editor {editor}, edit {number}";
                        using var response = await client.PutJsonAsync(
                            $"/api/v1/reviews/{review.Id}/answers/{items[editor]}",
                            new
                            {
                                position = "Concern",
                                reasoning,
                                version,
                            }
                        );
                        var saved = await response.JsonAsync(HttpStatusCode.OK);
                        Assert.Equal(
                            (version + 1, reasoning),
                            (saved.Number("version"), saved.Text("reasoning"))
                        );
                        version++;
                    }
                }
            )
        );
        clock.Stop();
        output.WriteLine(
            $"{db}: {Editors} editors x {EditsEach} edits, each on their own answer: {Editors * EditsEach} saves in {clock.Elapsed.TotalSeconds:0.0} s"
        );

        var history = await app.QueryAsync(
            d =>
                d.AnswerChanges.Where(c => c.ReviewId == review.Id)
                    .Select(c => new
                    {
                        c.ItemId,
                        c.Version,
                        c.Reasoning,
                    })
                    .ToListAsync(),
            org.Id
        );
        for (var editor = 0; editor < Editors; editor++)
        {
            Assert.Equal(
                Enumerable.Range(1, EditsEach).Select(n => (n, $"Editor {editor}, edit {n}")),
                history
                    .Where(h => h.ItemId == items[editor])
                    .OrderBy(h => h.Version)
                    .Select(h => (h.Version, h.Reasoning!))
            );
        }
        Assert.Equal(Editors * EditsEach, history.Count);
        var stored = await app.QueryAsync(
            d => d.Reviews.SingleAsync(r => r.Id == review.Id),
            org.Id
        );
        Assert.Equal((Editors, Editors), (stored.ConsideredCount, stored.ConcernCount));
    }

    /// <summary>50 contributors of the organisation, each with an API client on their own token.</summary>
    private static async Task<List<HttpClient>> EditorsAsync(TestApp app, TestOrganisation org)
    {
        var clients = new List<HttpClient>();
        for (var i = 0; i < Editors; i++)
        {
            var member = await app.AddMemberAsync(org.Id, MemberRole.Contributor);
            clients.Add(app.ApiClient(await app.CreateAccessTokenAsync(org, member)));
        }
        return clients;
    }
}
