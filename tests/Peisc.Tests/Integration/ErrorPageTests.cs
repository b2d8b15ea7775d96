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
        await using var throwing = WithThrowingEndpoint(app);
        var client = throwing.CreateClient(new() { AllowAutoRedirect = false });
        await client.SignInAsync(organisation[MemberRole.Viewer].Email);

        var page = await client.GetPageAsync("/test/throw", HttpStatusCode.InternalServerError);

        Assert.Equal("Sorry, there is a problem with the service", page.Heading);
        AssertServiceLayout(page);
        AssertNoExceptionDetails(await page.Response.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task Exception_OnAPost_ShowsTheServiceProblemPageWithoutDetails(Db db)
    {
        await using var app = new TestApp(db);
        var organisation = await app.CreateOrganisationAsync();
        await using var throwing = WithThrowingEndpoint(app);
        var client = throwing.CreateClient(new() { AllowAutoRedirect = false });
        await client.SignInAsync(organisation.Owner.Email);

        var response = await client.PostAsync("/test/throw", new StringContent(""));
        var page = await Html.ToPageAsync(response, new Uri(client.BaseAddress!, "/test/throw"));

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("Sorry, there is a problem with the service", page.Heading);
        AssertNoExceptionDetails(await response.Content.ReadAsStringAsync());
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithThrowingEndpoint(
        TestApp app
    ) =>
        app.WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ThrowingEndpoint>())
        );

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
        Assert.DoesNotContain("boom", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    // Added after the application's own pipeline, so the exception passes through its exception handler.
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                next(app);
                app.Map(
                    "/test/throw",
                    a => a.Run(_ => throw new InvalidOperationException("boom"))
                );
            };
    }
}
