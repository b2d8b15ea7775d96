using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Transfer;

namespace Peisc.Web.Pages.Reviews;

// The site allows 10 MB forms; a review file may be up to ReviewImport.MaxBytes, with room for the form's own fields.
[RequestFormLimits(MultipartBodyLengthLimit = ImportModel.MaxRequestBytes)]
[RequestSizeLimit(ImportModel.MaxRequestBytes)]
[RefuseLargeImport]
public sealed class ImportModel(ReviewImport import, CurrentMember member) : PageModel
{
    public const long MaxRequestBytes = ReviewImport.MaxBytes + 64 * 1024;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [FromQuery(Name = "problem")]
    public string? Problem { get; set; }

    public IReadOnlyList<ImportProblem> Problems { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public IActionResult OnGet()
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        if (Problem == "too-large")
        {
            ModelState.AddModelError(nameof(Upload), TooLargeMessage);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            return Forbid();
        }
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Select a review file");
            return Page();
        }
        if (Upload.Length > ReviewImport.MaxBytes)
        {
            ModelState.AddModelError(nameof(Upload), TooLargeMessage);
            return Page();
        }
        await using var stream = Upload.OpenReadStream();
        var result = await import.ImportAsync(stream, Upload.Length, ct);
        if (!result.Succeeded)
        {
            Problems = result.Problems;
            ModelState.AddModelError(
                nameof(Upload),
                "The selected file cannot be imported: correct the problems listed above, or choose another file"
            );
            return Page();
        }
        Message = $"{result.Title} imported";
        return Redirect($"/reviews/{result.ReviewId}");
    }

    public const string TooLargeMessage =
        $"The selected file must be smaller than {ReviewImport.MaxSize}";

    // Runs before the form is read (and before antiforgery reads it), so a huge upload is answered
    // from its Content-Length, without being read.
    [AttributeUsage(AttributeTargets.Class)]
    private sealed class RefuseLargeImportAttribute
        : Attribute,
            IAuthorizationFilter,
            IOrderedFilter
    {
        public int Order => int.MinValue;

        public void OnAuthorization(AuthorizationFilterContext context)
        {
            var request = context.HttpContext.Request;
            if (HttpMethods.IsPost(request.Method) && request.ContentLength > MaxRequestBytes)
            {
                context.Result = new RedirectResult("/reviews/import?problem=too-large");
            }
        }
    }
}
