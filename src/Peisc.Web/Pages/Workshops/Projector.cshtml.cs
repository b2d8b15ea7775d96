using Microsoft.AspNetCore.Mvc;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Workshops;

namespace Peisc.Web.Pages.Workshops;

/// <summary>The shared screen for the room: the item, the join code, the timer and the tally, without names.</summary>
public sealed class ProjectorModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    WorkshopService workshops,
    WatchTokens tokens,
    TimeProvider clock
) : WorkshopPageModel(db, editions, workshops, tokens, clock)
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(
            id,
            track: false,
            WatchTokens.SubjectOfUser(member.UserId!.Value),
            screen: true,
            ct
        )
            ? Page()
            : NotFound();
}
