using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Infrastructure;

/// <summary>Builders and helpers for the JSON API: access tokens, clients that send them, and JSON reading.</summary>
public static class ApiData
{
    /// <summary>Stores a token for a member, as the tokens page would, and returns it (the only time it is seen).</summary>
    public static async Task<string> CreateAccessTokenAsync(
        this TestApp app,
        TestOrganisation org,
        TestUser user,
        TimeSpan? lifetime = null,
        string name = "Test token"
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var created = PersonalAccessTokens.Create();
        db.AccessTokens.Add(
            new AccessToken
            {
                Id = Guid.NewGuid(),
                UserId = user.Id,
                OrganisationId = org.Id,
                Name = name,
                TokenHash = created.Hash,
                Prefix = created.Prefix,
                CreatedAt = now,
                ExpiresAt = now + (lifetime ?? TimeSpan.FromDays(30)),
            }
        );
        await db.SaveChangesAsync();
        return created.Token;
    }

    /// <summary>A client that sends no cookies, only the token (or nothing, for anonymous calls).</summary>
    public static HttpClient ApiClient(this TestApp app, string? token)
    {
        var client = app.CreateClient(
            new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false,
                HandleCookies = false,
            }
        );
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer",
                token
            );
        }
        return client;
    }

    public static async Task<HttpClient> ApiClientAsync(
        this TestApp app,
        TestOrganisation org,
        MemberRole role
    ) => app.ApiClient(await app.CreateAccessTokenAsync(org, org[role]));

    public static Task<HttpResponseMessage> PostJsonAsync(
        this HttpClient client,
        string url,
        object body
    ) => client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PutJsonAsync(
        this HttpClient client,
        string url,
        object body
    ) => client.PutAsJsonAsync(url, body);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads the JSON body after checking the status, showing the body when it is not the one expected.</summary>
    public static async Task<JsonElement> JsonAsync(
        this HttpResponseMessage response,
        System.Net.HttpStatusCode expected
    )
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}\n{text}"
        );
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    public static string Text(this JsonElement element, string property) =>
        element.GetProperty(property).GetString()!;

    public static int Number(this JsonElement element, string property) =>
        element.GetProperty(property).GetInt32();
}
