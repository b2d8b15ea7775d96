using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class ErrorPageTests
{
    [Theory, BothDatabases]
    public async Task UnknownUrl_Anonymous_ShowsPageNotFoundInTheServiceLayout(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser().GetPageAsync("/no/such/page", HttpStatusCode.NotFound);

        Assert.Equal("Page not found", page.Heading);
        AssertServiceLayout(page);
    }

    [Theory, BothDatabases]
    public async Task UnknownUrl_SignedIn_ShowsPageNotFoundInTheServiceLayout(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(organisation[MemberRole.Viewer]);

        var page = await client.GetPageAsync("/organisation/no-such-page", HttpStatusCode.NotFound);

        Assert.Equal("Page not found", page.Heading);
        AssertServiceLayout(page);
    }

    [Theory, BothDatabases]
    public async Task UnknownApiUrl_Anonymous_AnswersNotFoundAsProblemJson(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var response = await app.Browser().GetAsync("/api/v1/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task UnknownApiUrl_SignedIn_AnswersNotFoundAsProblemJson(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(organisation.Owner);

        var response = await client.GetAsync("/api/v1/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Exception_OnAGet_ShowsTheServiceProblemPageWithoutDetails(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var broken = await StoreUnreadableEditionAsync(app, organisation);
        var client = await app.SignedInAsync(organisation[MemberRole.Viewer]);

        var page = await client.GetPageAsync(
            $"/organisation/editions/{broken}",
            HttpStatusCode.InternalServerError
        );

        Assert.Equal("Sorry, there is a problem with the service", page.Heading);
        AssertServiceLayout(page);
        AssertNoExceptionDetails(await page.Response.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task Exception_OnAPost_ShowsTheServiceProblemPageWithoutDetails(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        var broken = await StoreUnreadableEditionAsync(app, organisation);
        var client = await app.SignedInAsync(organisation.Owner);
        var token = (await client.GetPageAsync("/organisation/settings")).AntiforgeryToken;

        var response = await client.PostAsync(
            $"/organisation/editions/{broken}?handler=Delete",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token!,
                    ["ConfirmDelete"] = "true",
                }
            )
        );
        var page = await Html.ToPageAsync(
            response,
            new Uri(client.BaseAddress!, "/organisation/editions")
        );

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("Sorry, there is a problem with the service", page.Heading);
        AssertNoExceptionDetails(await response.Content.ReadAsStringAsync());
    }

    // A stored edition that no longer loads is a real fault deep in the app: its page throws.
    private static async Task<Guid> StoreUnreadableEditionAsync(
        TestApp app,
        TestOrganisation organisation
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UseOrganisation(organisation.Id);
        var row = new OrganisationEdition
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            EditionId = "broken",
            Title = "Broken",
            Version = "1",
            Json = "{\"formatVersion\": 1}",
            UploadedByUserId = organisation.Owner.Id,
            UploadedAt = DateTime.UtcNow,
        };
        db.OrganisationEditions.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    private static void AssertServiceLayout(Page page)
    {
        var skip = page.Find("a.govuk-skip-link");
        Assert.NotNull(skip);
        Assert.Equal("#main-content", skip.GetAttribute("href"));
        Assert.NotNull(page.Find("main#main-content"));
        Assert.NotNull(page.Find("header.govuk-template__header"));
        Assert.NotNull(page.Find("footer a[href='/accessibility']"));
        Assert.NotNull(page.Find("footer a[href='/privacy']"));
        Assert.NotNull(page.Find("link[rel=stylesheet]"));
    }

    private static void AssertNoExceptionDetails(string body)
    {
        Assert.DoesNotContain("no longer loads", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
