using System.Net;
using System.Text.Json;
using Peisc.Tests.Infrastructure;

namespace Peisc.Tests.Integration;

public sealed class FrameworkApiTests
{
    [Theory, BothDatabases]
    public async Task ListFrameworks_Anonymous_ListsTheBuiltInEdition(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/api/v1/frameworks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var edition = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("peisc", edition.GetProperty("id").GetString());
        Assert.Equal("/api/v1/frameworks/peisc", edition.GetProperty("href").GetString());
    }

    [Theory, BothDatabases]
    public async Task GetFramework_Anonymous_ReturnsEveryQuestionAndItemOfTheSeedVerbatim(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/api/v1/frameworks/peisc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var texts = new HashSet<string>();
        foreach (var section in json.RootElement.GetProperty("sections").EnumerateArray())
        {
            foreach (var cell in section.GetProperty("cells").EnumerateArray())
            {
                texts.Add(cell.GetProperty("question").GetString()!);
                foreach (var item in cell.GetProperty("items").EnumerateArray())
                {
                    texts.Add(item.GetProperty("text").GetString()!);
                    Assert.Matches(
                        @"^[a-z-]+\.(innovation|process|outcomes)\.\d+$",
                        item.GetProperty("id").GetString()
                    );
                }
            }
            foreach (var principle in section.GetProperty("principles").EnumerateArray())
            {
                texts.Add(principle.GetProperty("text").GetString()!);
            }
        }
        foreach (var situation in json.RootElement.GetProperty("situations").EnumerateArray())
        {
            texts.Add(situation.GetProperty("text").GetString()!);
        }

        var missing = Seed.QuestionsAndListItems()
            .Where(line =>
                !texts.Contains(line)
                && !json
                    .RootElement.GetRawText()
                    .Contains(JsonEncoded(line), StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(missing.Count == 0, "Missing from the API:\n" + string.Join("\n", missing));
        Assert.Equal(
            "https://sro.sussex.ac.uk/id/eprint/98712/",
            json.RootElement.GetProperty("source")
                .GetProperty("article")
                .GetProperty("url")
                .GetString()
        );
    }

    [Theory, BothDatabases]
    public async Task GetFramework_UnknownId_AnswersNotFoundWithProblemDetails(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/api/v1/frameworks/no-such-edition");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(
            "no-such-edition",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Theory, BothDatabases]
    public async Task OpenApiDocument_Anonymous_DescribesTheFrameworkEndpoints(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(
            paths.TryGetProperty("/api/v1/frameworks", out _)
                || paths.TryGetProperty("/api/v1/frameworks/", out _)
        );
        Assert.True(paths.TryGetProperty("/api/v1/frameworks/{id}", out _));
    }

    [Theory, BothDatabases]
    public async Task Schema_Anonymous_IsServedAsJsonSchema(Db db)
    {
        await using var app = new TestApp(db);
        var response = await app.Browser().GetAsync("/api/v1/frameworks/schema");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "https://json-schema.org/draft/2020-12/schema",
            json.RootElement.GetProperty("$schema").GetString()
        );
    }

    private static string JsonEncoded(string text) => JsonSerializer.Serialize(text)[1..^1];
}
