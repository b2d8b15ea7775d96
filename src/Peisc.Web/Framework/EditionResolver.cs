using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;

namespace Peisc.Web.Framework;

/// <summary>Finds the edition a review uses: built in, or one the signed-in organisation uploaded.</summary>
public sealed class EditionResolver(FrameworkCatalog catalog, AppDbContext db)
{
    // Uploaded editions never change once stored, so each is parsed once per process.
    private static readonly ConcurrentDictionary<Guid, FrameworkEdition> Parsed = new();

    public async Task<FrameworkEdition?> FindAsync(string editionId, CancellationToken ct = default)
    {
        if (catalog.FindBuiltIn(editionId) is { } builtIn)
        {
            return builtIn;
        }
        var row = await db
            .OrganisationEditions.AsNoTracking()
            .Where(e => e.EditionId == editionId)
            .Select(e => new { e.Id, e.Json })
            .SingleOrDefaultAsync(ct);
        return row is null
            ? null
            : Parsed.GetOrAdd(row.Id, _ => FrameworkLoader.Load(row.Json).Edition!);
    }

    public async Task<FrameworkEdition> GetAsync(
        string editionId,
        CancellationToken ct = default
    ) =>
        await FindAsync(editionId, ct)
        ?? throw new InvalidOperationException($"Edition '{editionId}' is not available.");
}
