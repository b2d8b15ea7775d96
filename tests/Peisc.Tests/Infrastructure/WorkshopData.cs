using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Data;
using Peisc.Web.Workshops;

namespace Peisc.Tests.Infrastructure;

/// <summary>Builders for live sessions, and people who follow one over a real socket.</summary>
public static class WorkshopData
{
    /// <summary>Starts a session through the service, as a facilitator would; all items unless a cell is named.</summary>
    public static Task<WorkshopSession> StartWorkshopAsync(
        this TestApp app,
        TestOrganisation org,
        Guid reviewId,
        string? cellId = null
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Facilitator) ?? org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId);
                var items = ReviewData
                    .Peisc.AllCells.Where(c => cellId is null || c.Id == cellId)
                    .SelectMany(c => c.Items)
                    .Select(i => i.Id)
                    .ToList();
                return await sp.GetRequiredService<WorkshopService>()
                    .StartAsync(review, cellId ?? "Whole review", items);
            }
        );

    public static Task<WorkshopSession> WorkshopAsync(this TestApp app, Guid sessionId) =>
        app.QueryAsync(d =>
            d.WorkshopSessions.IgnoreQueryFilters()
                .AsNoTracking()
                .SingleAsync(s => s.Id == sessionId)
        );

    /// <summary>Joins through the join page as a guest; the client then holds the guest's cookie.</summary>
    public static async Task<Page> JoinAsGuestAsync(
        this HttpClient client,
        string joinCode,
        string name
    )
    {
        var join = await client.GetPageAsync("/join");
        var named = await Html.ToPageAsync(
            await client.SubmitAsync(join, new Dictionary<string, string> { ["Code"] = joinCode }),
            join.Url
        );
        Assert.NotNull(named.Find("input[name=Name]"));
        return await client.SubmitAndFollowAsync(
            named,
            new Dictionary<string, string> { ["Name"] = name }
        );
    }

    public static Task<HttpResponseMessage> SubmitPositionAsync(
        this HttpClient client,
        Page takePart,
        Position position,
        string? note = null
    ) =>
        client.SubmitAsync(
            takePart,
            new Dictionary<string, string>
            {
                ["Position"] = position.ToString(),
                ["Note"] = note ?? "",
            },
            "main form"
        );

    public static Uri ServerAddress(this TestApp app)
    {
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new Uri(address);
    }
}

/// <summary>A person on a real socket: a cookie jar for the pages and a SignalR connection for the live updates.</summary>
public sealed class LivePerson : IAsyncDisposable
{
    private readonly Channel<(string Name, JsonElement Payload)> _events = Channel.CreateUnbounded<(
        string,
        JsonElement
    )>();

    public LivePerson(Uri server)
    {
        Server = server;
        Cookies = new CookieContainer();
        Http = new HttpClient(
            new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }
        )
        {
            BaseAddress = server,
        };
    }

    public Uri Server { get; }
    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }
    public HubConnection? Hub { get; private set; }

    /// <summary>Every event read so far, in order: one connection's events arrive in the order they were sent.</summary>
    public List<string> Seen { get; } = [];

    /// <summary>Connects to the hub with this person's cookies (throws if the hub refuses).</summary>
    public async Task ConnectAsync()
    {
        Hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Server, WorkshopSetup.HubPath), o => o.Cookies = Cookies)
            .Build();
        foreach (var name in new[] { "item", "tally", "timer", "ended" })
        {
            Hub.On<JsonElement>(name, payload => _events.Writer.TryWrite((name, payload)));
        }
        await Hub.StartAsync();
    }

    /// <summary>Follows the session with the watch token that a page of it handed out.</summary>
    public Task WatchAsync(Page page) =>
        Hub!.InvokeAsync(
            "Watch",
            page.Find("[data-watch-token]")!.GetAttribute("data-watch-token")!
        );

    /// <summary>The next event of that name, within ten seconds.</summary>
    public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (got, payload) = await _events.Reader.ReadAsync(timeout.Token);
            Seen.Add(got);
            if (got == name && (match is null || match(payload)))
            {
                return payload;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }
        Http.Dispose();
    }
}
