using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;

namespace Peisc.Web.Pages.Account;

/// <summary>trust.md R6: a person downloads their own data as JSON, and reads how erasure works.</summary>
public sealed class DataModel(
    PersonalData data,
    CurrentMember member,
    AuditLog audit,
    TimeProvider clock
) : PageModel
{
    public void OnGet() { }

    // A POST, so that the download is a deliberate act and recorded as one.
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var userId = member.UserId!.Value;
        await audit.WriteAsync(
            AuditActions.PersonalDataExported,
            nameof(Data.AppUser),
            userId.ToString(),
            "Downloaded their own data as JSON"
        );
        var json = await data.ExportAsync(userId, ct);
        var day = clock
            .GetUtcNow()
            .UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File(json, "application/json", $"peisc-your-data-{day}.json");
    }
}
