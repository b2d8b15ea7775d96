using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Peisc.Web.Framework;

/// <summary>
/// Reads a framework edition file: JSON syntax, then the schema, then the rules a schema
/// cannot say (unique ids, every cell present, references that resolve). Every problem is
/// collected and reported with its JSON path, so an author can fix a file in one go.
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
            return new FrameworkLoadResult(null, Distinct(problems));
        }

        var edition = root.Deserialize<FrameworkEdition>(JsonOptions)!;
        CheckRules(edition, problems);
        return problems.Count == 0
            ? new FrameworkLoadResult(edition, [])
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
                return Fail(
                    "$",
                    $"The file is larger than {MaxFileBytes / 1024 / 1024} MB."
                );
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
                $"The built-in edition '{id}' is invalid: "
                    + string.Join("; ", result.Problems)
            );
    }

    private static void CheckRules(FrameworkEdition edition, List<FrameworkProblem> problems)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        void Unique(string id, string path)
        {
            if (!seen.TryAdd(id, path))
            {
                problems.Add(new($"{path}.id", $"The id '{id}' is already used at {seen[id]}."));
            }
        }

        for (var i = 0; i < edition.Situations.Count; i++)
        {
            Unique(edition.Situations[i].Id, $"$.situations[{i}]");
        }
        for (var i = 0; i < edition.Domains.Count; i++)
        {
            Unique(edition.Domains[i].Id, $"$.domains[{i}]");
        }
        var stageNumbers = new HashSet<int>();
        for (var i = 0; i < edition.Stages.Count; i++)
        {
            Unique(edition.Stages[i].Id, $"$.stages[{i}]");
            if (!stageNumbers.Add(edition.Stages[i].Number))
            {
                problems.Add(
                    new(
                        $"$.stages[{i}].number",
                        $"Stage number {edition.Stages[i].Number} is used by more than one stage."
                    )
                );
            }
        }

        var domainIds = edition.Domains.Select(d => d.Id).ToHashSet();
        var stageIds = edition.Stages.Select(s => s.Id).ToHashSet();
        for (var s = 0; s < edition.Sections.Count; s++)
        {
            var section = edition.Sections[s];
            var sPath = $"$.sections[{s}]";
            Unique(section.Id, sPath);
            for (var p = 0; p < section.Principles.Count; p++)
            {
                Unique(section.Principles[p].Id, $"{sPath}.principles[{p}]");
            }

            var domainsCovered = new HashSet<string>();
            for (var c = 0; c < section.Cells.Count; c++)
            {
                var cell = section.Cells[c];
                var cPath = $"{sPath}.cells[{c}]";
                Unique(cell.Id, cPath);
                if (!domainIds.Contains(cell.Domain))
                {
                    problems.Add(
                        new(
                            $"{cPath}.domain",
                            $"The domain '{cell.Domain}' is not one of the edition's domains ({string.Join(", ", domainIds)})."
                        )
                    );
                }
                else if (!domainsCovered.Add(cell.Domain))
                {
                    problems.Add(
                        new(
                            $"{cPath}.domain",
                            $"Section '{section.Id}' has more than one cell for the domain '{cell.Domain}'."
                        )
                    );
                }
                var expectedCellId = $"{section.Id}.{cell.Domain}";
                if (cell.Id != expectedCellId)
                {
                    problems.Add(
                        new($"{cPath}.id", $"The cell's id should be '{expectedCellId}'.")
                    );
                }
                for (var i = 0; i < cell.Items.Count; i++)
                {
                    var item = cell.Items[i];
                    var iPath = $"{cPath}.items[{i}]";
                    Unique(item.Id, iPath);
                    if (!item.Id.StartsWith(cell.Id + ".", StringComparison.Ordinal))
                    {
                        problems.Add(
                            new(
                                $"{iPath}.id",
                                $"The item's id '{item.Id}' should start with its cell's id '{cell.Id}.'."
                            )
                        );
                    }
                    if (item.Stage is not null && !stageIds.Contains(item.Stage))
                    {
                        problems.Add(
                            new(
                                $"{iPath}.stage",
                                $"The stage '{item.Stage}' is not one of the edition's stages."
                            )
                        );
                    }
                }
            }
            foreach (var missing in domainIds.Except(domainsCovered).Order())
            {
                problems.Add(
                    new(
                        $"{sPath}.cells",
                        $"Section '{section.Id}' has no cell for the domain '{missing}'."
                    )
                );
            }
        }
    }

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
        }
    }

    private static IEnumerable<FrameworkProblem> DescribeSchemaErrors(EvaluationResults results)
    {
        var details = results.Details is { Count: > 0 } ? results.Details : [results];
        foreach (var detail in details)
        {
            if (detail.Errors is null)
            {
                continue;
            }
            var path = ToJsonPath(detail.InstanceLocation.ToString());
            foreach (var (keyword, message) in detail.Errors)
            {
                yield return Describe(keyword, message, path);
            }
        }
    }

    private static FrameworkProblem Describe(string keyword, string message, string path)
    {
        var names = QuotedName().Matches(message).Select(m => m.Groups[1].Value).ToList();
        return keyword switch
        {
            "required" => new(
                path,
                names.Count == 1
                    ? $"The field '{names[0]}' is missing."
                    : $"The fields {string.Join(", ", names.Select(n => $"'{n}'"))} are missing."
            ),
            "additionalProperties" or "unevaluatedProperties" => new(
                path,
                "This field is not part of the framework format."
            ),
            "minLength" => new(path, "The text is empty."),
            "minItems" => new(path, $"The list has too few entries ({message})."),
            "type" => new(path, $"This has the wrong type: {message}"),
            "pattern" => new(
                path,
                "The identifier may use only lower-case letters, digits, hyphens and full stops."
            ),
            "const" or "enum" => new(path, $"This value is not allowed: {message}"),
            _ => new(path, message),
        };
    }

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

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
