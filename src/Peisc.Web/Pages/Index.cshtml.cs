using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Accounts;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages;

[AllowAnonymous]
public sealed class IndexModel(FrameworkCatalog catalog, CurrentMember member) : PageModel
{
    public FrameworkEdition Edition => catalog.Default;

    public bool SignedIn => member.IsSignedIn;
}
