using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reports;

namespace Peisc.Web.Transfer;

/// <summary>
/// A whole review as one JSON file (docs/review-transfer.md): exported through the tenant filter,
/// and imported into the signed-in organisation with new ids, in one transaction.
/// </summary>
public sealed class ReviewTransfer(
    AppDbContext db,
    EditionResolver editions,
    AuditLog audit,
    TimeProvider clock,
    IHttpContextAccessor http
)
{
    public const string ContentType = "application/json";

    /// <summary>Null when the organisation has no such review.</summary>
    public async Task<Download?> ExportAsync(Guid reviewId, CancellationToken ct)
    {
        if (await ReadAsync(reviewId, ct) is not { } document)
        {
            return null;
        }
        var name = ExportFileNames.ForReview(document.Review.Title, "review", "json");
        await audit.WriteAsync(
            AuditActions.ReviewJsonExported,
            nameof(Review),
            reviewId.ToString(),
            $"The whole review as JSON ({document.Rounds.Count} rounds, {document.Actions.Count} actions, {document.Contributions?.Count ?? 0} lived-experience contributions): {name}"
        );
        return new Download(
            name,
            ContentType,
            (stream, token) =>
                JsonSerializer.SerializeAsync(stream, document, ReviewDocumentJson.Options, token)
        );
    }

    public async Task<ReviewDocument?> ReadAsync(Guid reviewId, CancellationToken ct)
    {
        var review = await db
            .Reviews.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return null;
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        var organisation = await db
            .Organisations.AsNoTracking()
            .Where(o => o.Id == review.OrganisationId)
            .Select(o => o.Name)
            .SingleAsync(ct);
        var rounds = await db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == reviewId)
            .OrderBy(r => r.Number)
            .ToListAsync(ct);
        var answers = await db
            .Answers.AsNoTracking()
            .Where(a => a.ReviewId == reviewId)
            .ToListAsync(ct);
        var changes = await db
            .AnswerChanges.AsNoTracking()
            .Where(c => c.ReviewId == reviewId)
            .ToListAsync(ct);
        var actions = await db
            .Actions.AsNoTracking()
            .Where(a => a.ReviewId == reviewId)
            .ToListAsync(ct);
        var reflections = await db
            .Reflections.AsNoTracking()
            .Where(r => r.ReviewId == reviewId)
            .ToListAsync(ct);
        var views = await db
            .IndividualViews.AsNoTracking()
            .Where(v => v.ReviewId == reviewId)
            .ToListAsync(ct);
        var comments = await db
            .Comments.AsNoTracking()
            .Where(c => c.ReviewId == reviewId)
            .ToListAsync(ct);
        var threads = await db
            .CommentThreads.AsNoTracking()
            .Where(t => t.ReviewId == reviewId)
            .ToListAsync(ct);
        var invitations = await db
            .VoiceInvitations.AsNoTracking()
            .Where(i => i.ReviewId == reviewId)
            .ToListAsync(ct);
        var contributions = await db
            .VoiceContributions.AsNoTracking()
            .Where(c => c.ReviewId == reviewId)
            .ToListAsync(ct);
        var responses = (
            await db
                .VoiceResponses.AsNoTracking()
                .Where(r => r.ReviewId == reviewId)
                .ToListAsync(ct)
        ).ToLookup(r => r.ContributionId);

        var mentioned = comments
            .SelectMany(c => c.MentionedUserIds.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(id => Guid.TryParse(id, out var userId) ? userId : Guid.Empty);
        var referenced = rounds
            .Select(r => r.StartedByUserId)
            .Concat(actions.Select(a => a.CreatedByUserId))
            .Concat(actions.Select(a => a.OwnerUserId).OfType<Guid>())
            .Concat(mentioned)
            .Concat(invitations.Select(i => i.CreatedByUserId))
            .Append(review.CreatedByUserId)
            .ToHashSet();
        var people = await PeopleAsync(referenced, ct);
        var changesByAnswer = changes.ToLookup(c => c.AnswerId);
        var commentsByItem = comments.ToLookup(c => c.ItemId);
        var threadsByItem = threads.ToDictionary(t => t.ItemId, StringComparer.Ordinal);

        return new ReviewDocument(
            ReviewDocument.SchemaName,
            ReviewDocument.CurrentVersion,
            Utc(clock.GetUtcNow().UtcDateTime),
            new SourcePart(
                http.HttpContext?.Request.Host.Value is { Length: > 0 } host ? host : "PEISC",
                organisation
            ),
            new FrameworkPart(edition.Id, edition.Version, edition.Title),
            new ReviewPart(
                review.Id,
                review.Title,
                review.Innovation,
                review.ServiceArea,
                review.SituationId,
                review.Partners,
                Utc(review.CreatedAt),
                people.Of(review.CreatedByUserId, null),
                Utc(review.UpdatedAt),
                Utc(review.ArchivedAt)
            ),
            rounds
                .Select(r => new RoundPart(
                    r.Id,
                    r.Number,
                    r.StageId,
                    Utc(r.StartedAt),
                    people.Of(r.StartedByUserId, null),
                    Utc(r.FrozenAt),
                    answers
                        .Where(a => a.RoundId == r.Id)
                        .OrderBy(a => a.ItemId, StringComparer.Ordinal)
                        .Select(a => new AnswerPart(
                            a.Id,
                            a.ItemId,
                            a.Position,
                            a.NotApplicableReason,
                            a.Reasoning,
                            a.Evidence,
                            VoiceList(a.Voices),
                            a.Dissent,
                            a.Version,
                            Utc(a.UpdatedAt),
                            people.Of(a.UpdatedByUserId, a.UpdatedByName),
                            changesByAnswer[a.Id]
                                .OrderBy(c => c.Version)
                                .ThenBy(c => c.ChangedAt)
                                .Select(c => new AnswerChangePart(
                                    c.Version,
                                    c.Position,
                                    c.NotApplicableReason,
                                    c.Reasoning,
                                    c.Evidence,
                                    VoiceList(c.Voices),
                                    c.Dissent,
                                    Utc(c.ChangedAt),
                                    people.Of(c.ChangedByUserId, c.ChangedByName)
                                ))
                                .ToList()
                        ))
                        .ToList(),
                    reflections
                        .Where(x => x.RoundId == r.Id)
                        .OrderBy(x => x.CellId, StringComparer.Ordinal)
                        .Select(x => new ReflectionPart(
                            x.CellId,
                            Utc(x.OpenedAt),
                            new PersonPart(x.OpenedByName),
                            Utc(x.RevealedAt),
                            x.RevealedByName is { } revealer ? new PersonPart(revealer) : null
                        ))
                        .ToList(),
                    views
                        .Where(v => v.RoundId == r.Id)
                        .Select(v => new IndividualViewPart(
                            v.ItemId,
                            people.Of(v.UserId, v.UserName),
                            v.Position,
                            v.Reasoning,
                            v.MinorityView,
                            v.MinorityViewNamed,
                            Utc(v.UpdatedAt)
                        ))
                        .OrderBy(v => v.ItemId, StringComparer.Ordinal)
                        .ThenBy(v => v.Person.Name, StringComparer.Ordinal)
                        .ThenBy(v => v.Person.Email, StringComparer.Ordinal)
                        .ThenBy(v => v.UpdatedAt)
                        .ToList()
                ))
                .ToList(),
            actions
                .Select(a => new ActionPart(
                    a.Id,
                    a.Title,
                    a.OwnerUserId is { } owner ? people.Of(owner, null)
                        : a.OwnerName is { } named ? new PersonPart(named)
                        : null,
                    a.DueDate is { } due ? DateOnly.FromDateTime(due) : null,
                    a.Status,
                    a.ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                    Utc(a.CreatedAt),
                    people.Of(a.CreatedByUserId, null),
                    a.OpenedInRound,
                    a.ClosedInRound,
                    Utc(a.ClosedAt)
                ))
                // Ordered by what the file holds, never by ids, so a re-export lists them alike.
                .OrderBy(a => a.CreatedAt)
                .ThenBy(a => a.Title, StringComparer.Ordinal)
                .ThenBy(a => a.Status)
                .ThenBy(a => a.DueDate)
                .ToList(),
            commentsByItem
                .Select(g => g.Key)
                .Concat(threadsByItem.Keys)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(itemId =>
                {
                    var thread = threadsByItem.GetValueOrDefault(itemId);
                    return new DiscussionPart(
                        itemId,
                        Utc(thread?.ResolvedAt),
                        thread?.ResolvedByName is { } resolver ? new PersonPart(resolver) : null,
                        commentsByItem[itemId]
                            .Select(c => new CommentPart(
                                c.Id,
                                people.Of(c.AuthorUserId, c.AuthorName),
                                c.Body,
                                Utc(c.CreatedAt),
                                c.MentionedUserIds.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                                    .Select(id =>
                                        Guid.TryParse(id, out var userId)
                                            ? people.Of(userId, null)
                                            : null
                                    )
                                    .OfType<PersonPart>()
                                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                                    .ThenBy(p => p.Email, StringComparer.Ordinal)
                                    .ToList()
                            ))
                            .OrderBy(c => c.CreatedAt)
                            .ThenBy(c => c.Author.Name, StringComparer.Ordinal)
                            .ThenBy(c => c.Body, StringComparer.Ordinal)
                            .ToList()
                    );
                })
                .ToList(),
            // Left out when there are none, so a review without them gives the file it always gave.
            invitations.Count == 0
                ? null
                : invitations
                    .Select(i => new InvitationPart(
                        i.Id,
                        i.Group,
                        i.PublicName,
                        i.ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                        i.ConsentStatement,
                        i.SafeguardingContact,
                        Utc(i.CreatedAt),
                        people.Of(i.CreatedByUserId, null),
                        Utc(i.ExpiresAt),
                        Utc(i.RevokedAt)
                    ))
                    .OrderBy(i => i.CreatedAt)
                    .ThenBy(i => i.PublicName, StringComparer.Ordinal)
                    .ThenBy(i => i.Group)
                    .ToList(),
            contributions.Count == 0
                ? null
                : contributions
                    .Select(c => new ContributionPart(
                        c.Id,
                        c.InvitationId,
                        c.Name,
                        Utc(c.SubmittedAt),
                        responses[c.Id]
                            .OrderBy(r => r.ItemId, StringComparer.Ordinal)
                            .Select(r => new ResponsePart(r.ItemId, r.Text))
                            .ToList()
                    ))
                    .OrderBy(c => c.SubmittedAt)
                    .ThenBy(c => c.Name, StringComparer.Ordinal)
                    .ThenBy(c => c.Responses.FirstOrDefault()?.Text, StringComparer.Ordinal)
                    .ToList()
        );
    }

    // Members of the exporting organisation appear with their current name and email (as the reports name
    // them); anyone else by the name kept with the record, or the name they had, without an email.
    private async Task<People> PeopleAsync(HashSet<Guid> referenced, CancellationToken ct)
    {
        var members = await db
            .Memberships.AsNoTracking()
            .Select(m => new
            {
                m.UserId,
                m.User!.DisplayName,
                m.User.Email,
            })
            .ToListAsync(ct);
        var byId = members
            .GroupBy(m => m.UserId)
            .ToDictionary(g => g.Key, g => new PersonPart(g.First().DisplayName, g.First().Email));
        // Records with no name of their own (who started a round, raised an action, was mentioned).
        var former = referenced.Where(id => !byId.ContainsKey(id)).ToList();
        var formerNames =
            former.Count == 0
                ? []
                : await db
                    .Users.AsNoTracking()
                    .Where(u => former.Contains(u.Id))
                    .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new People(byId, formerNames);
    }

    private sealed class People(
        Dictionary<Guid, PersonPart> members,
        Dictionary<Guid, string> formerNames
    )
    {
        public PersonPart Of(Guid userId, string? keptName) =>
            members.TryGetValue(userId, out var person) ? person
            : !string.IsNullOrWhiteSpace(keptName) ? new PersonPart(keptName)
            : new PersonPart(formerNames.GetValueOrDefault(userId) ?? FormerMember);
    }

    public const string FormerMember = "A former member";

    internal static List<Voices> VoiceList(Voices voices) =>
        VoiceFlags.Where(v => voices.HasFlag(v)).ToList();

    internal static readonly Voices[] VoiceFlags =
    [
        Voices.ChildrenAndYoungPeople,
        Voices.Families,
        Voices.AdultsWhoUseServices,
        Voices.Carers,
        Voices.Practitioners,
        Voices.Partners,
    ];

    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
