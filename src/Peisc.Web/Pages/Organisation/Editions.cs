using Microsoft.EntityFrameworkCore;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Organisation;

/// <summary>The editions an organisation can choose from: the built-in ones and its own uploads.</summary>
public static class Editions
{
    public sealed record Choice(
        string Id,
        string Title,
        string Version,
        bool BuiltIn,
        Guid? UploadId
    );

    public static async Task<List<Choice>> ChoicesAsync(AppDbContext db, FrameworkCatalog catalog)
    {
        var own = await db
            .OrganisationEditions.AsNoTracking()
            .OrderBy(e => e.Title)
            .Select(e => new Choice(e.EditionId, e.Title, e.Version, false, e.Id))
            .ToListAsync();
        return catalog
            .BuiltIn.Select(e => new Choice(e.Id, e.Title, e.Version, true, null))
            .Concat(own)
            .ToList();
    }

    public static async Task<string> TitleAsync(
        AppDbContext db,
        FrameworkCatalog catalog,
        string editionId
    ) =>
        catalog.FindBuiltIn(editionId)?.Title
        ?? await db
            .OrganisationEditions.Where(e => e.EditionId == editionId)
            .Select(e => e.Title)
            .SingleOrDefaultAsync()
        ?? catalog.Default.Title;
}
