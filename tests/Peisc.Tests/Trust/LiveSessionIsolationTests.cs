using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Peisc.Web.Workshops;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>trust.md A2 for live sessions: A's members cannot follow B's session, and receive nothing of it.</summary>
public sealed class LiveSessionIsolationTests(ITestOutputHelper output)
{
    [Theory, BothDatabases]
    public async Task OtherOrganisationsSession_EveryRole_CannotWatchItAndReceivesNothingOfIt(Db db)
    {
        await using var app = new TestApp(db, realServer: true);
        app.StartServer();
        var a = await TrustData.SeedAsync(app, "Alpha");
        var b = await TrustData.SeedAsync(app, "Beta");
        await TrustData.PlantCanariesAsync(app, b.Organisation.Id);
        var tokens = app.Services.GetRequiredService<WatchTokens>();
        // What B's own pages hand B's facilitator and B's guest: stolen, they must be worth nothing to A.
        var stolen = new[]
        {
            tokens.Create(
                b.WorkshopId,
                WatchTokens.SubjectOfUser(b.Organisation[MemberRole.Facilitator].Id),
                true
            ),
            tokens.Create(b.WorkshopId, WatchTokens.SubjectOfUser(b.Organisation.Owner.Id), false),
        };

        var people = new List<LivePerson>();
        var refused = 0;
        try
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
                var person = new LivePerson(app.ServerAddress());
                people.Add(person);
                await person.Http.SignInAsync(a.Organisation[role].Email);
                await person.ConnectAsync();
                foreach (
                    var attempt in stolen.Concat([
                        b.WorkshopId.ToString(),
                        b.JoinCode,
                        b.WorkshopId.ToString("N"),
                        "",
                    ])
                )
                {
                    await Assert.ThrowsAsync<HubException>(() =>
                        person.Hub!.InvokeAsync("Watch", attempt)
                    );
                    refused++;
                }
                // Their own organisation's session, through its shared screen, as any member may.
                await person.WatchAsync(
                    await person.Http.GetPageAsync($"/workshops/{a.WorkshopId}/projector")
                );
            }

            // B's session moves, takes a submission with a note, starts a timer and ends; then A's moves.
            await MoveAsync(app, b, 1, submitNote: true, end: true);
            await MoveAsync(app, a, 1, submitNote: false, end: false);

            foreach (var person in people)
            {
                var item = await person.NextAsync("item");
                Assert.Equal(1, item.GetProperty("index").GetInt32());
                Assert.Equal(a.WorkshopId, await SessionOfAsync(app, a));
                // Events on one connection arrive in the order sent: anything of B's would have come first.
                Assert.Equal(["item"], person.Seen);
                Assert.DoesNotContain(
                    TrustData.CanaryPrefix,
                    item.GetRawText(),
                    StringComparison.OrdinalIgnoreCase
                );
            }
        }
        finally
        {
            foreach (var person in people)
            {
                await person.DisposeAsync();
            }
        }
        output.WriteLine(
            $"{db}: {refused} attempts to follow B's session refused; {people.Count} of A's members received only A's event"
        );
    }

    private static Task<Guid> SessionOfAsync(TestApp app, TrustRecords records) =>
        app.QueryAsync(
            d =>
                d.WorkshopSessions.Where(s => s.Id == records.WorkshopId)
                    .Select(s => s.Id)
                    .SingleAsync(),
            records.Organisation.Id
        );

    private static Task<int> MoveAsync(
        TestApp app,
        TrustRecords records,
        int to,
        bool submitNote,
        bool end
    ) =>
        app.AsMemberAsync(
            records.Organisation,
            records.Organisation[MemberRole.Facilitator],
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var workshops = sp.GetRequiredService<WorkshopService>();
                var session = await db.WorkshopSessions.SingleAsync(s =>
                    s.Id == records.WorkshopId
                );
                if (submitNote)
                {
                    var participant = await db.WorkshopParticipants.FirstAsync(p =>
                        p.SessionId == session.Id
                    );
                    await workshops.SubmitAsync(
                        session,
                        participant,
                        session.CurrentItemId,
                        Position.Concern,
                        "A note for the tally",
                        default
                    );
                }
                await workshops.MoveAsync(session, to, default);
                if (end)
                {
                    await workshops.SetTimerAsync(session, 2, default);
                    await workshops.EndAsync(session, default);
                }
                return 0;
            }
        );
}
