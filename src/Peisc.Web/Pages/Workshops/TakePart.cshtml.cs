using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Workshops;

namespace Peisc.Web.Pages.Workshops;

/// <summary>A participant's page, on a phone or a laptop: the current item and their own answer to it.</summary>
[Authorize(Policy = WorkshopSetup.ParticipantPolicy)]
public sealed class TakePartModel(
    AppDbContext db,
    EditionResolver editions,
    CurrentMember member,
    WorkshopService workshops,
    WatchTokens tokens,
    TimeProvider clock
) : WorkshopPageModel(db, editions, workshops, tokens, clock)
{
    /// <summary>Null for a member who has not answered yet: they become a participant with their first answer.</summary>
    public WorkshopParticipant? Participant { get; private set; }

    public string ParticipantName => Participant?.Name ?? member.DisplayName ?? "";
    public WorkshopSubmission? Mine { get; private set; }

    [BindProperty]
    public string? ItemId { get; set; }

    [BindProperty]
    public Position? Position { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadParticipantAsync(id, ct))
        {
            return NotFound();
        }
        Position = Mine?.Position;
        Note = Mine?.Note;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadParticipantAsync(id, ct))
        {
            return NotFound();
        }
        // A member becomes a participant with their first answer, so that reading the page changes nothing.
        if (Participant is null && Active)
        {
            Participant = await Workshops.JoinAsMemberAsync(Session, ct);
        }
        var error = Participant is null
            ? new FieldError("Position", "This session has ended")
            : await Workshops.SubmitAsync(Session, Participant, ItemId, Position, Note, ct);
        if (error is not null)
        {
            ModelState.AddModelError(error.Field, error.Message);
            return Page();
        }
        Message = "Your answer is in. You can change it until the facilitator moves on.";
        return Redirect($"/workshops/{id}/take-part");
    }

    // A guest's cookie names one session and its organisation; a member acts in their own organisation.
    private async Task<bool> LoadParticipantAsync(Guid id, CancellationToken ct)
    {
        string subject;
        Guid participantId;
        if (
            User.FindFirst(GuestClaims.Session)?.Value == id.ToString()
            && Guid.TryParse(User.FindFirst(GuestClaims.Participant)?.Value, out participantId)
            && Guid.TryParse(
                User.FindFirst(GuestClaims.Organisation)?.Value,
                out var organisationId
            )
        )
        {
            Db.UseOrganisation(organisationId);
            subject = WatchTokens.SubjectOfGuest(participantId);
        }
        else if (member.IsSignedIn && member.OrganisationId is not null)
        {
            participantId = Guid.Empty;
            subject = WatchTokens.SubjectOfUser(member.UserId!.Value);
        }
        else
        {
            return false;
        }
        if (!await LoadAsync(id, track: false, subject, screen: false, ct))
        {
            return false;
        }
        var participant =
            participantId != Guid.Empty
                ? await Db
                    .WorkshopParticipants.AsNoTracking()
                    .SingleOrDefaultAsync(p => p.Id == participantId && p.SessionId == id, ct)
                : await Db
                    .WorkshopParticipants.AsNoTracking()
                    .SingleOrDefaultAsync(p => p.SessionId == id && p.UserId == member.UserId, ct);
        // A guest's participant row must exist; a member may take part in any session of their organisation.
        if (participant is null && participantId != Guid.Empty)
        {
            return false;
        }
        Participant = participant;
        Mine = participant is null
            ? null
            : await Db
                .WorkshopSubmissions.AsNoTracking()
                .SingleOrDefaultAsync(
                    s => s.ParticipantId == participant.Id && s.ItemId == Item.Id,
                    ct
                );
        return true;
    }
}
