using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.LivedExperience;

/// <summary>One item's question as an invitee reads it, and whose wording it is.</summary>
public sealed record PlainQuestion(string ItemId, string Text, PlainSource Source);

public enum PlainSource
{
    /// <summary>Our adaptation, shipped in Framework/Editions/peisc-plain-language.json.</summary>
    Ours,

    /// <summary>The organisation's own edit of the plain-language text.</summary>
    Organisation,

    /// <summary>No plain version exists (an item of an organisation's own edition): the framework's words.</summary>
    Framework,
}

/// <summary>
/// Our plain-language versions of the built-in edition's items, loaded once. They are ours, not the
/// framework's: the framework's verbatim text stays in peisc.json and is never changed.
/// </summary>
public sealed class PlainLanguageCatalog
{
    public PlainLanguageCatalog()
    {
        using var stream =
            Assembly
                .GetExecutingAssembly()
                .GetManifestResourceStream("Peisc.Web.Framework.Editions.peisc-plain-language.json")
            ?? throw new InvalidOperationException("Missing the plain-language file.");
        using var document = JsonDocument.Parse(stream);
        Items = document
            .RootElement.GetProperty("items")
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string> Items { get; }

    public string? Ours(string itemId) => Items.GetValueOrDefault(itemId);
}

/// <summary>Reads the plain-language questions for one organisation: its own edits, else ours, else the framework's.</summary>
public sealed class PlainLanguage(AppDbContext db, PlainLanguageCatalog catalog)
{
    /// <summary>Through the tenant filter: the caller must act for the organisation (signed in, or UseOrganisation).</summary>
    public async Task<List<PlainQuestion>> QuestionsAsync(
        IEnumerable<(string ItemId, string FrameworkText)> items,
        CancellationToken ct = default
    )
    {
        var list = items.ToList();
        var ids = list.Select(i => i.ItemId).ToList();
        var own = await db
            .PlainLanguageTexts.AsNoTracking()
            .Where(p => ids.Contains(p.ItemId))
            .ToDictionaryAsync(p => p.ItemId, p => p.Text, ct);
        return list.Select(i =>
                own.TryGetValue(i.ItemId, out var mine)
                    ? new PlainQuestion(i.ItemId, mine, PlainSource.Organisation)
                : catalog.Ours(i.ItemId) is { } ours
                    ? new PlainQuestion(i.ItemId, ours, PlainSource.Ours)
                : new PlainQuestion(i.ItemId, i.FrameworkText, PlainSource.Framework)
            )
            .ToList();
    }
}
