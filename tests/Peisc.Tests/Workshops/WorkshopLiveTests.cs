using Microsoft.AspNetCore.SignalR.Client;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Workshops;

/// <summary>The live updates over a real socket, with the .NET SignalR client standing in for the browsers.</summary>
public sealed class WorkshopLiveTests
{
    [Theory, BothDatabases]
    public async Task Hub_SubmissionAndNextItem_ReachTheScreensAndTheParticipants(Db db)
    {
        await using var app = new TestApp(db, realServer: true);
        app.StartServer();
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        await using var projector = new LivePerson(app.ServerAddress());
        await using var guest = new LivePerson(app.ServerAddress());
        await projector.Http.SignInAsync(org[MemberRole.Facilitator].Email);
        var screen = await projector.Http.GetPageAsync($"/workshops/{session.Id}/projector");
        var takePart = await guest.Http.JoinAsGuestAsync(session.JoinCode, "Robin");
        await projector.ConnectAsync();
        await projector.WatchAsync(screen);
        await guest.ConnectAsync();
        await guest.WatchAsync(takePart);

        await guest.Http.SubmitPositionAsync(takePart, Position.Concern, "Consent is unclear");
        var tally = await projector.NextAsync("tally");
        var console = await projector.Http.GetPageAsync($"/workshops/{session.Id}");
        await projector.Http.SubmitAsync(console, formSelector: "form[action*='handler=Go']");
        var atGuest = await guest.NextAsync("item");
        var atProjector = await projector.NextAsync("item");

        Assert.Equal(1, tally.GetProperty("counts").GetProperty("Concern").GetInt32());
        Assert.Equal(
            "Consent is unclear",
            tally.GetProperty("notes")[0].GetProperty("note").GetString()
        );
        Assert.Equal(1, atGuest.GetProperty("index").GetInt32());
        Assert.Equal(1, atProjector.GetProperty("index").GetInt32());
        // Participants follow the items, never the tally: it was sent before the move, so it would have come first.
        Assert.DoesNotContain("tally", guest.Seen);
    }

    [Fact]
    public async Task Hub_NoCookie_RefusesTheConnection()
    {
        await using var app = new TestApp(Db.Sqlite, realServer: true);
        app.StartServer();
        await app.CreateOrganisationAsync();
        await using var anonymous = new LivePerson(app.ServerAddress());

        await Assert.ThrowsAnyAsync<Exception>(anonymous.ConnectAsync);
    }

    [Theory, BothDatabases]
    public async Task Hub_TokenOfAnotherSessionPersonOrOrganisation_IsRefused(Db db)
    {
        await using var app = new TestApp(db, realServer: true);
        app.StartServer();
        var org = await app.CreateOrganisationAsync("Alpha");
        var other = await app.CreateOrganisationAsync("Beta", roles: [MemberRole.Owner]);
        var review = await app.CreateReviewAsync(org);
        var session = await app.StartWorkshopAsync(org, review.Id);
        var otherSession = await app.StartWorkshopAsync(org, review.Id);
        await using var facilitator = new LivePerson(app.ServerAddress());
        await using var outsider = new LivePerson(app.ServerAddress());
        await using var guest = new LivePerson(app.ServerAddress());
        await facilitator.Http.SignInAsync(org[MemberRole.Facilitator].Email);
        await outsider.Http.SignInAsync(other.Owner.Email);
        var alphaScreen = await facilitator.Http.GetPageAsync($"/workshops/{session.Id}/projector");
        await guest.Http.JoinAsGuestAsync(otherSession.JoinCode, "Robin");
        await outsider.ConnectAsync();
        await guest.ConnectAsync();

        // Another organisation's member holding Alpha's token, a guest of another session holding it, and a made-up token.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() =>
            outsider.WatchAsync(alphaScreen)
        );
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() =>
            guest.WatchAsync(alphaScreen)
        );
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() =>
            guest.Hub!.InvokeAsync("Watch", session.Id.ToString())
        );
        // Only that session's own page, rendered for this guest, lets them follow it.
        var own = await guest.Http.GetPageAsync($"/workshops/{otherSession.Id}/take-part");
        await guest.WatchAsync(own);
        await guest.Http.GetPageAsync(
            $"/workshops/{session.Id}/take-part",
            System.Net.HttpStatusCode.NotFound
        );
    }
}
