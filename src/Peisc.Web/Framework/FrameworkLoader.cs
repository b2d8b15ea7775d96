using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Peisc.Web.Framework;

/// <summary>
/// Reads a framework edition file: JSON syntax, then the schema, then the rules a schema
/// cannot say (unique ids, every cell present, references that resolve). Every problem at a
/// stage is reported at once with its JSON path; the cross-reference rules run once the file
/// matches the schema, since they need its shape.
/// </summary>
public static partial class FrameworkLoader
{
    public const long MaxFileBytes = 2 * 1024 * 1024;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(ReadResource("framework-edition.schema.json"))
    );

    public static string SchemaText => ReadResource("framework-edition.schema.json");

    public static FrameworkLoadResult Load(string json)
    {
        if (Encoding.UTF8.GetByteCount(json) > MaxFileBytes)
        {
            return Fail("$", $"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(
                json,
                documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }
            );
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? $" (line {line + 1}, character {ex.BytePositionInLine + 1})"
                : "";
            return Fail(
                string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path,
                $"The file is not valid JSON{where}."
            );
        }

        if (root is not JsonObject)
        {
            return Fail("$", "The file must contain a JSON object.");
        }

        var problems = new List<FrameworkProblem>();
        FindBlankText(root, problems);

        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(
            document.RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List }
        );
        if (!results.IsValid)
        {
            problems.AddRange(DescribeSchemaErrors(results));
        }
        // Run on the raw JSON, so a file with schema problems still hears about its cross-references too.
        CheckRules(root, problems);
        return problems.Count == 0
            ? new FrameworkLoadResult(root.Deserialize<FrameworkEdition>(JsonOptions)!, [])
            : new FrameworkLoadResult(null, Distinct(problems));
    }

    public static async Task<FrameworkLoadResult> LoadAsync(Stream stream, CancellationToken ct)
    {
        using var limited = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (limited.Length + read > MaxFileBytes)
            {
                return Fail("$", $"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
            }
            limited.Write(buffer, 0, read);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(
                limited.GetBuffer(),
                0,
                (int)limited.Length
            );
        }
        catch (DecoderFallbackException)
        {
            return Fail("$", "The file is not UTF-8 text.");
        }
        return Load(text.TrimStart('\uFEFF'));
    }

    /// <summary>Loads a file shipped inside the application; a broken one is a bug, so it throws.</summary>
    public static FrameworkEdition LoadBuiltIn(string id)
    {
        var result = Load(ReadResource($"Editions.{id}.json"));
        return result.IsValid
            ? result.Edition!
            : throw new InvalidOperationException(
                $"The built-in edition '{id}' is invalid: " + string.Join("; ", result.Problems)
            );
    }

    private static void CheckRules(JsonNode root, List<FrameworkProblem> problems)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        void Unique(JsonNode? node, string path)
        {
            if (Text(node?["id"]) is { } id && !seen.TryAdd(id, path))
            {
                problems.Add(new($"{path}.id", $"The id '{id}' is already used at {seen[id]}."));
            }
        }

        foreach (var (situation, i) in Each(root["situations"]))
        {
            Unique(situation, $"$.situations[{i}]");
        }
        foreach (var (domain, i) in Each(root["domains"]))
        {
            Unique(domain, $"$.domains[{i}]");
        }
        var stageNumbers = new HashSet<int>();
        foreach (var (stage, i) in Each(root["stages"]))
        {
            Unique(stage, $"$.stages[{i}]");
            if (
                stage?["number"] is JsonValue number
                && number.TryGetValue<int>(out var n)
                && !stageNumbers.Add(n)
            )
            {
                problems.Add(
                    new(
                        $"$.stages[{i}].number",
                        $"Stage number {n} is used by more than one stage."
                    )
                );
            }
        }

        var domainIds = Each(root["domains"])
            .Select(d => Text(d.Node?["id"]))
            .OfType<string>()
            .ToHashSet();
        var stageIds = Each(root["stages"])
            .Select(s => Text(s.Node?["id"]))
            .OfType<string>()
            .ToHashSet();
        foreach (var (section, s) in Each(root["sections"]))
        {
            var sPath = $"$.sections[{s}]";
            var sectionId = Text(section?["id"]);
            Unique(section, sPath);
            foreach (var (principle, p) in Each(section?["principles"]))
            {
                Unique(principle, $"{sPath}.principles[{p}]");
            }

            var domainsCovered = new HashSet<string>();
            foreach (var (cell, c) in Each(section?["cells"]))
            {
                var cPath = $"{sPath}.cells[{c}]";
                var cellId = Text(cell?["id"]);
                var domain = Text(cell?["domain"]);
                Unique(cell, cPath);
                if (domain is not null && !domainIds.Contains(domain))
                {
                    problems.Add(
                        new(
                            $"{cPath}.domain",
                            $"The domain '{domain}' is not one of the edition's domains ({string.Join(", ", domainIds)})."
                        )
                    );
                }
                else if (domain is not null && !domainsCovered.Add(domain))
                {
                    problems.Add(
                        new(
                            $"{cPath}.domain",
                            $"Section '{sectionId}' has more than one cell for the domain '{domain}'."
                        )
                    );
                }
                // Only when the section's own id is sound: otherwise that one mistake would be reported once per cell.
                if (
                    sectionId is not null
                    && Slug().IsMatch(sectionId)
                    && domain is not null
                    && cellId is not null
                    && cellId != $"{sectionId}.{domain}"
                )
                {
                    problems.Add(
                        new($"{cPath}.id", $"The cell's id should be '{sectionId}.{domain}'.")
                    );
                }
                foreach (var (item, i) in Each(cell?["items"]))
                {
                    var iPath = $"{cPath}.items[{i}]";
                    var itemId = Text(item?["id"]);
                    Unique(item, iPath);
                    if (
                        itemId is not null
                        && cellId is not null
                        && !itemId.StartsWith(cellId + ".", StringComparison.Ordinal)
                    )
                    {
                        problems.Add(
                            new(
                                $"{iPath}.id",
                                $"The item's id '{itemId}' should start with its cell's id '{cellId}.'."
                            )
                        );
                    }
                    if (Text(item?["stage"]) is { } stage && !stageIds.Contains(stage))
                    {
                        problems.Add(
                            new(
                                $"{iPath}.stage",
                                $"The stage '{stage}' is not one of the edition's stages."
                            )
                        );
                    }
                }
            }
            if (section?["cells"] is JsonArray)
            {
                foreach (var missing in domainIds.Except(domainsCovered).Order())
                {
                    problems.Add(
                        new(
                            $"{sPath}.cells",
                            $"Section '{sectionId}' has no cell for the domain '{missing}'."
                        )
                    );
                }
            }
        }
    }

    private static IEnumerable<(JsonNode? Node, int Index)> Each(JsonNode? node) =>
        node is JsonArray array ? array.Select((n, i) => (n, i)) : [];

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal const string NulMessage =
        "The text holds a NUL character (U+0000), which PEISC cannot keep: remove it.";

    private static void FindBlankText(JsonNode? node, List<FrameworkProblem> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    FindBlankText(child, problems);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    FindBlankText(child, problems);
                }
                break;
            case JsonValue value
                when value.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text):
                problems.Add(new(node.GetPath(), "The text is empty."));
                break;
            // PostgreSQL's text cannot hold U+0000, and no framework wording needs it: refused on
            // every database alike, rather than failing as the edition is saved.
            case JsonValue value
                when value.TryGetValue<string>(out var text)
                    && text.Contains('\0', StringComparison.Ordinal):
                problems.Add(new(node.GetPath(), NulMessage));
                break;
        }
    }

    private static List<FrameworkProblem> DescribeSchemaErrors(EvaluationResults results)
    {
        var details = results.Details is { Count: > 0 } ? results.Details : [results];
        var raw = details
            .Where(d => d.Errors is not null)
            .SelectMany(d =>
                d.Errors!.Select(e =>
                    (
                        Path: ToJsonPath(d.InstanceLocation.ToString()),
                        Keyword: e.Key,
                        Message: e.Value
                    )
                )
            )
            .ToList();
        // A value of the wrong type also fails const and enum; the type problem is the one to fix.
        var wrongType = raw.Where(e => e.Keyword == "type").Select(e => e.Path).ToHashSet();
        return raw.Where(e => !(e.Keyword is "const" or "enum" && wrongType.Contains(e.Path)))
            .Select(e => Describe(e.Keyword, e.Message, e.Path))
            .ToList();
    }

    private static FrameworkProblem Describe(string keyword, string message, string path)
    {
        var names = QuotedName().Matches(message).Select(m => m.Groups[1].Value).ToList();
        var field = path[(path.LastIndexOfAny(['.', '$']) + 1)..];
        // JsonSchema.Net reports "additionalProperties": false as a failing false schema.
        if (
            keyword is "additionalProperties" or "unevaluatedProperties" or "false"
            || message.Contains("false schema", StringComparison.Ordinal)
        )
        {
            return new(path, "This field is not part of the framework format.");
        }
        return keyword switch
        {
            "required" => new(
                path,
                names.Count == 1
                    ? $"The field '{names[0]}' is missing."
                    : $"The fields {string.Join(", ", names.Select(n => $"'{n}'"))} are missing."
            ),
            "minLength" => new(path, "The text is empty."),
            "minItems" => new(path, "The list needs at least one entry."),
            "type" => new(path, $"This has the wrong type: {message}"),
            "pattern" => new(path, PatternMessage(field, path)),
            "minimum" or "maximum" => new(path, $"The number is out of range: {message}"),
            "const" when field == "formatVersion" => new(
                path,
                "The format version must be 1: this application reads version 1 of the framework format."
            ),
            "enum" or "const" => new(
                path,
                AllowedValues.Value.TryGetValue(field, out var allowed)
                    ? $"'{field}' must be one of: {string.Join(", ", allowed)}."
                    : $"This value is not allowed: {message}"
            ),
            _ => new(path, message),
        };
    }

    private static string PatternMessage(string field, string path) =>
        field switch
        {
            "url" => "Enter a web address that starts with https:// or http://.",
            "language" => "Enter a language tag, like en-GB.",
            "id" when path == "$.id" =>
                "The edition's id may use only lower-case letters, digits and single hyphens, like my-framework.",
            _ =>
                "The identifier may use only lower-case letters, digits, hyphens and full stops, like human-rights.process.3.",
        };

    // The allowed values of every enum in the schema, by property name, so messages can list them.
    private static readonly Lazy<Dictionary<string, List<string>>> AllowedValues = new(() =>
    {
        var found = new Dictionary<string, List<string>>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["properties"] is JsonObject properties)
                {
                    foreach (var (name, schema) in properties)
                    {
                        if (schema?["enum"] is JsonArray values)
                        {
                            found[name] = values.Select(v => v!.ToString()).ToList();
                        }
                    }
                }
                foreach (var (_, child) in obj)
                {
                    Walk(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array)
                {
                    Walk(child);
                }
            }
        }
        Walk(JsonNode.Parse(SchemaText));
        return found;
    });

    // "/sections/1/cells/0" becomes "$.sections[1].cells[0]" so authors can follow it in an editor.
    internal static string ToJsonPath(string pointer)
    {
        var sb = new StringBuilder("$");
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal)
                .Replace("~0", "~", StringComparison.Ordinal);
            if (int.TryParse(part, out var index))
            {
                sb.Append('[').Append(index).Append(']');
            }
            else
            {
                sb.Append('.').Append(part);
            }
        }
        return sb.ToString();
    }

    private static List<FrameworkProblem> Distinct(List<FrameworkProblem> problems) =>
        problems.Distinct().ToList();

    private static FrameworkLoadResult Fail(string path, string message) =>
        new(null, [new FrameworkProblem(path, message)]);

    private static string ReadResource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var fullName = $"Peisc.Web.Framework.{name}";
        using var stream =
            assembly.GetManifestResourceStream(fullName)
            ?? throw new InvalidOperationException($"Missing embedded resource {fullName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
