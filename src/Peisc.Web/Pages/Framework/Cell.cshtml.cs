using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Framework;

[AllowAnonymous]
public sealed class CellModel(FrameworkCatalog catalog) : PageModel
{
    public sealed record CellLink(string SectionId, string DomainId, string Label);

    public Section Section { get; private set; } = default!;
    public Domain Domain { get; private set; } = default!;
    public Cell Cell { get; private set; } = default!;
    public CellLink? Previous { get; private set; }
    public CellLink? Next { get; private set; }

    public IActionResult OnGet(string sectionId, string domainId)
    {
        var edition = catalog.Default;
        var section = edition.FindSection(sectionId);
        var domain = edition.FindDomain(domainId);
        var cell = edition.FindCell(sectionId, domainId);
        if (section is null || domain is null || cell is null)
        {
            return NotFound();
        }
        (Section, Domain, Cell) = (section, domain, cell);

        // Walk section by section, domain by domain: the order of the published framework.
        var order = edition
            .Sections.SelectMany(s =>
                edition.Domains.Select(d => new CellLink(s.Id, d.Id, $"{s.ShortTitle}: {d.Title}"))
            )
            .ToList();
        var index = order.FindIndex(c => c.SectionId == sectionId && c.DomainId == domainId);
        Previous = index > 0 ? order[index - 1] : null;
        Next = index < order.Count - 1 ? order[index + 1] : null;
        return Page();
    }
}
