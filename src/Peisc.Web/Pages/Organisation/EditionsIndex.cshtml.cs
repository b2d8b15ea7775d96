using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Organisation;

public sealed class EditionsIndexModel(
    AppDbContext db,
    CurrentMember member,
    FrameworkCatalog catalog,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    public List<Editions.Choice> Choices { get; private set; } = [];
    public IReadOnlyList<FrameworkProblem> Problems { get; private set; } = [];
    public string? DefaultEditionId { get; private set; }
    public bool IsOwner => member.Has(MemberRole.Owner);

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (member.OrganisationId is null)
        {
            return NotFound();
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsOwner)
        {
            return Forbid();
        }
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Select a framework file");
            await LoadAsync();
            return Page();
        }
        if (Upload.Length > FrameworkLoader.MaxFileBytes)
        {
            ModelState.AddModelError(nameof(Upload), "The selected file must be smaller than 2 MB");
            await LoadAsync();
            return Page();
        }

        await using var stream = Upload.OpenReadStream();
        var result = await FrameworkLoader.LoadAsync(stream, ct);
        // The same file uploaded twice at once: the second finds the first's edition, and is told so.
        return await db.OnceMoreIfRacedAsync(() => AddAsync(result, Upload, ct), ct);
    }

    private async Task<IActionResult> AddAsync(
        FrameworkLoadResult result,
        IFormFile upload,
        CancellationToken ct
    )
    {
        var problems = result.Problems.ToList();
        if (result.Edition is { } edition)
        {
            if (catalog.IsBuiltIn(edition.Id))
            {
                problems.Add(
                    new(
                        "$.id",
                        $"The id '{edition.Id}' belongs to a built-in edition, which cannot be changed: give your edition its own id."
                    )
                );
            }
            else if (await db.OrganisationEditions.AnyAsync(e => e.EditionId == edition.Id, ct))
            {
                problems.Add(
                    new(
                        "$.id",
                        $"Your organisation already has an edition with the id '{edition.Id}': give this one a new id, since published ids never change."
                    )
                );
            }
        }
        if (problems.Count > 0)
        {
            Problems = problems;
            await audit.WriteAsync(
                AuditActions.EditionRejected,
                nameof(OrganisationEdition),
                null,
                $"{upload.FileName}: {problems.Count} problems"
            );
            await LoadAsync();
            return Page();
        }

        var accepted = result.Edition!;
        var row = new OrganisationEdition
        {
            Id = Guid.NewGuid(),
            OrganisationId = member.OrganisationId!.Value,
            EditionId = accepted.Id,
            Title = accepted.Title,
            Version = accepted.Version,
            // Stored as re-serialised from the checked model, so what is kept is exactly what was validated.
            Json = System.Text.Json.JsonSerializer.Serialize(accepted, FrameworkLoader.JsonOptions),
            UploadedByUserId = member.UserId!.Value,
            UploadedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.OrganisationEditions.Add(row);
        audit.Add(
            AuditActions.EditionUploaded,
            nameof(OrganisationEdition),
            row.Id.ToString(),
            $"{accepted.Title} ({accepted.Id}, {accepted.Version}) from {upload.FileName}"
        );
        await db.SaveChangesAsync(ct);
        Message = $"{accepted.Title} added";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Choices = await Editions.ChoicesAsync(db, catalog);
        DefaultEditionId = await db
            .Organisations.Where(o => o.Id == member.OrganisationId)
            .Select(o => o.DefaultEditionId)
            .SingleAsync();
    }
}
