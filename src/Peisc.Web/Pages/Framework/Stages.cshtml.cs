using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Peisc.Web.Framework;

namespace Peisc.Web.Pages.Framework;

[AllowAnonymous]
public sealed class StagesModel(FrameworkCatalog catalog) : PageModel
{
    public FrameworkEdition Edition => catalog.Default;
}
