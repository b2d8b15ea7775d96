using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Workshops;

/// <summary>Two app instances sharing one database and one Redis, as a scaled-out deployment runs.</summary>
public sealed class WorkshopScaleOutTests
{
    // Like PEISC_TEST_POSTGRES: test.sh starts a throwaway Redis; without one these tests fail rather than skip.
    private static string Redis =>
        Environment.GetEnvironmentVariable("PEISC_TEST_REDIS")
        ?? throw new InvalidOperationException(
            "PEISC_TEST_REDIS is not set: run the tests with ./test.sh, which starts a throwaway Redis."
        );

    [Theory, BothDatabases]
    public async Task TwoInstances_ChangesOnOne_ReachScreensConnectedToTheOther(Db db)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = Redis,
            // Each test run its own channels, so parallel tests never hear each other.
            ["Redis:ChannelPrefix"] = "peisc-test-" + Guid.NewGuid().ToString("N"),
        };
        var sqliteFile = Path.Combine(
            Path.GetTempPath(),
            "peisc-tests",
            Guid.NewGuid().ToString("N") + ".db"
        );
        Directory.CreateDirectory(Path.GetDirectoryName(sqliteFile)!);
        if (db == Db.Sqlite)
        {
            settings["Database:ConnectionString"] = $"Data Source={sqliteFile}";
        }
        await using var a = new TestApp(db, settings, realServer: true);
        a.StartServer();
        if (db == Db.Postgres)
        {
            settings["Database:ConnectionString"] = a.PostgresConnectionString;
        }
        await using var b = new TestApp(db, settings, realServer: true);
        b.StartServer();
        Assert.NotEqual(a.ServerAddress(), b.ServerAddress());

        var org = await a.CreateOrganisationAsync();
        var review = await a.CreateReviewAsync(org);
        var session = await a.StartWorkshopAsync(org, review.Id);
        // On instance B: the shared screen and a member taking part, both connected to B's hub.
        await using var projector = new LivePerson(b.ServerAddress());
        await using var member = new LivePerson(b.ServerAddress());
        await projector.Http.SignInAsync(org.Owner.Email);
        await member.Http.SignInAsync(org[MemberRole.Viewer].Email);
        var screen = await projector.Http.GetPageAsync($"/workshops/{session.Id}/projector");
        var takePart = await member.Http.GetPageAsync($"/workshops/{session.Id}/take-part");
        await projector.ConnectAsync();
        await projector.WatchAsync(screen);
        await member.ConnectAsync();
        await member.WatchAsync(takePart);
        // On instance A: a guest answers and the facilitator moves on.
        await using var guest = new LivePerson(a.ServerAddress());
        await using var facilitator = new LivePerson(a.ServerAddress());
        var guestPage = await guest.Http.JoinAsGuestAsync(session.JoinCode, "Robin");
        await facilitator.Http.SignInAsync(org[MemberRole.Facilitator].Email);

        await guest.Http.SubmitPositionAsync(guestPage, Position.Addressed, "Seen on B");
        var tally = await projector.NextAsync("tally");
        var console = await facilitator.Http.GetPageAsync($"/workshops/{session.Id}");
        await facilitator.Http.SubmitAsync(console, formSelector: "form[action*='handler=Go']");
        var item = await member.NextAsync("item");
        // A page read from B shows what A wrote to the shared database.
        var fromB = await projector.Http.GetPageAsync($"/workshops/{session.Id}/projector");

        Assert.Equal(1, tally.GetProperty("counts").GetProperty("Addressed").GetInt32());
        Assert.Equal(1, item.GetProperty("index").GetInt32());
        Assert.Contains("Item 2 of", fromB.Text, StringComparison.Ordinal);
        File.Delete(sqliteFile);
    }
}
