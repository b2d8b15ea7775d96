using System.Reflection;
using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.Web.Transfer;

public sealed record ImportProblem(string Path, string Message);

/// <summary>The new review, or why the file was refused (and then nothing was written).</summary>
public sealed record ImportResult(
    Guid? ReviewId,
    string? Title,
    IReadOnlyList<ImportProblem> Problems,
    bool TooLarge = false
)
{
    public bool Succeeded => ReviewId is not null;

    public static ImportResult Refused(string path, string message, bool tooLarge = false) =>
        new(null, null, [new ImportProblem(path, message)], tooLarge);
}

/// <summary>
/// Reads a review file in the order a person can act on: size, JSON syntax, format and version, the
/// schema, then what the schema cannot say (items of the edition, round numbers, references). Only a
/// file that passes every check is written: with new ids, for the signed-in organisation, in one
/// transaction (docs/review-transfer.md).
/// </summary>
public sealed class ReviewImport(
    AppDbContext db,
    EditionResolver editions,
    AuditLog audit,
    CurrentMember member
)
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public const string MaxSize = "20 MB";
    private const int MaxProblems = 25;

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SchemaText!));

    public static string SchemaText { get; } = ReadSchema();

    public static ImportResult TooLarge() =>
        ImportResult.Refused(
            "$",
            $"The file is larger than {MaxSize}: a review file from PEISC is far smaller. Check that you chose the right file.",
            tooLarge: true
        );

    /// <summary>Reads at most MaxBytes; a stream that goes on is refused without being read to its end.</summary>
    public async Task<ImportResult> ImportAsync(
        Stream stream,
        long? declaredLength,
        CancellationToken ct
    )
    {
        if (declaredLength > MaxBytes)
        {
            return TooLarge();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return await ImportAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }

    public async Task<ImportResult> ImportAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        if (bytes.Length > MaxBytes)
        {
            return TooLarge();
        }
        if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        if (bytes.Length == 0)
        {
            return ImportResult.Refused("$", "The file is empty.");
        }
        if (CheckSyntax(bytes.Span) is { } syntax)
        {
            return ImportResult.Refused("$", syntax);
        }
        // One parse: the document serves the format check, the schema and the records.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return ImportResult.Refused("$", NotValid(ex));
        }
        using var parsed = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return ImportResult.Refused("$", "The file must hold one JSON object: a PEISC review.");
        }
        if (CheckFormat(document.RootElement) is { } format)
        {
            return ImportResult.Refused(format.Path, format.Message);
        }

        var results = Schema.Value.Evaluate(
            document.RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List }
        );
        if (!results.IsValid)
        {
            return new ImportResult(null, null, DescribeSchemaErrors(results));
        }
        // PostgreSQL's text cannot hold U+0000: refused here, on every database alike, rather than
        // failing as the review is written.
        var nul = new List<ImportProblem>();
        FindNul(document.RootElement, "$", nul);
        if (nul.Count > 0)
        {
            return new ImportResult(null, null, nul.Take(MaxProblems).ToList());
        }
        ReviewDocument review;
        try
        {
            review = document.Deserialize<ReviewDocument>(ReviewDocumentJson.Options)!;
        }
        catch (JsonException ex)
        {
            return ImportResult.Refused(
                string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path,
                "This value cannot be read: check that dates and times are valid."
            );
        }

        var edition = await editions.FindAsync(review.Framework.Id, ct);
        var problems = Check(review, edition);
        if (problems.Count > 0)
        {
            return new ImportResult(null, null, problems.Take(MaxProblems).ToList());
        }
        var reviewId = await WriteAsync(review, edition!, ct);
        return new ImportResult(reviewId, review.Review.Title, []);
    }

    private static void FindNul(JsonElement element, string path, List<ImportProblem> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    FindNul(property.Value, $"{path}.{property.Name}", problems);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindNul(item, $"{path}[{i++}]", problems);
                }
                break;
            case JsonValueKind.String
                when element.GetString()!.Contains('\0', StringComparison.Ordinal):
                problems.Add(new(path, FrameworkLoader.NulMessage));
                break;
        }
    }

    // A file cut short reads as valid JSON up to its end: the reader asks for more instead of failing.
    private static string? CheckSyntax(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(
            bytes,
            isFinalBlock: false,
            new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 })
        );
        try
        {
            while (reader.Read())
            {
                if (
                    reader.CurrentDepth == 0
                    && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray
                )
                {
                    return null;
                }
            }
        }
        catch (JsonException ex)
        {
            return NotValid(ex);
        }
        if (
            reader.TokenType
                is not (JsonTokenType.None or JsonTokenType.StartObject or JsonTokenType.StartArray)
            && reader.CurrentDepth == 0
        )
        {
            // A lone value (a number or string) is complete; the object check that follows refuses it.
            return null;
        }
        var (line, character) = LineAndCharacter(bytes[..(int)reader.BytesConsumed]);
        return $"The file is not complete JSON: it ends too soon (line {line}, character {character}). It may have been cut short while downloading or copying: export the review again.";
    }

    private static (int Line, int Character) LineAndCharacter(ReadOnlySpan<byte> upTo)
    {
        var line = upTo.Count((byte)'\n') + 1;
        var lastBreak = upTo.LastIndexOf((byte)'\n');
        var character = Encoding.UTF8.GetCharCount(upTo[(lastBreak + 1)..]) + 1;
        return (line, character);
    }

    private static string NotValid(JsonException ex) =>
        ex.LineNumber is { } line
            ? $"The file is not valid JSON (line {line + 1}, character {ex.BytePositionInLine + 1})."
            : "The file is not valid JSON.";

    private static ImportProblem? CheckFormat(JsonElement file)
    {
        var schema =
            file.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
        if (schema != ReviewDocument.SchemaName)
        {
            return new(
                "$.schema",
                "This is not a PEISC review file: it should say \"schema\": \"peisc-review\". Export the review from PEISC with \"Download the whole review (JSON)\"."
            );
        }
        if (
            !file.TryGetProperty("schemaVersion", out var v)
            || v.ValueKind != JsonValueKind.Number
            || !v.TryGetInt32(out var version)
        )
        {
            return new(
                "$.schemaVersion",
                "The file does not say which version of the review format it uses."
            );
        }
        if (version > ReviewDocument.CurrentVersion)
        {
            return new(
                "$.schemaVersion",
                $"The file uses version {version} of the review format, which is newer than this installation of PEISC reads (version {ReviewDocument.CurrentVersion}). Update PEISC, or export the review from an installation of the same version."
            );
        }
        if (version != ReviewDocument.CurrentVersion)
        {
            return new(
                "$.schemaVersion",
                $"The file uses version {version} of the review format, which does not exist: this installation reads version {ReviewDocument.CurrentVersion}."
            );
        }
        return null;
    }

    private static List<ImportProblem> Check(ReviewDocument file, FrameworkEdition? edition)
    {
        var problems = new List<ImportProblem>();
        if (edition is null)
        {
            problems.Add(
                new(
                    "$.framework.id",
                    $"The review uses the framework edition '{file.Framework.Id}' ({file.Framework.Title}, version {file.Framework.Version}), which your organisation does not have. An owner can upload that edition in \"Framework editions\"; then import the review again."
                )
            );
            return problems;
        }
        if (edition.Version != file.Framework.Version)
        {
            problems.Add(
                new(
                    "$.framework.version",
                    $"The review uses version {file.Framework.Version} of the framework edition '{edition.Id}', but your organisation has version {edition.Version}."
                )
            );
            return problems;
        }
        var items = edition
            .AllCells.SelectMany(c => c.Items)
            .Select(i => i.Id)
            .ToHashSet(StringComparer.Ordinal);
        var cells = edition.AllCells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var stages = edition.Stages.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        void Item(string path, string itemId)
        {
            if (!items.Contains(itemId))
            {
                problems.Add(
                    new(
                        path,
                        $"The item '{itemId}' is not in the framework edition '{edition.Id}'."
                    )
                );
            }
        }

        if (edition.Situations.All(s => s.Id != file.Review.SituationId))
        {
            problems.Add(
                new(
                    "$.review.situationId",
                    $"The situation '{file.Review.SituationId}' is not in the framework edition '{edition.Id}'."
                )
            );
        }
        var roundCount = file.Rounds.Count;
        for (var r = 0; r < roundCount; r++)
        {
            var round = file.Rounds[r];
            var path = $"$.rounds[{r}]";
            if (round.Number != r + 1)
            {
                problems.Add(
                    new(
                        $"{path}.number",
                        $"Rounds must be numbered 1, 2, 3 and so on in order: this one should be round {r + 1}, not {round.Number}."
                    )
                );
            }
            if (!stages.Contains(round.StageId))
            {
                problems.Add(
                    new(
                        $"{path}.stageId",
                        $"The stage '{round.StageId}' is not in the framework edition '{edition.Id}'."
                    )
                );
            }
            if (round.FrozenAt is null && r < roundCount - 1)
            {
                problems.Add(
                    new(
                        $"{path}.frozenAt",
                        "Every round before the last must have been frozen when the next one started."
                    )
                );
            }
            var answered = new HashSet<string>(StringComparer.Ordinal);
            for (var a = 0; a < round.Answers.Count; a++)
            {
                var answer = round.Answers[a];
                var aPath = $"{path}.answers[{a}]";
                Item($"{aPath}.itemId", answer.ItemId);
                if (!answered.Add(answer.ItemId))
                {
                    problems.Add(
                        new(
                            $"{aPath}.itemId",
                            $"The item '{answer.ItemId}' has more than one answer in round {round.Number}."
                        )
                    );
                }
                var versions = new HashSet<int>();
                for (var h = 0; h < answer.History.Count; h++)
                {
                    var change = answer.History[h];
                    if (!versions.Add(change.Version) || change.Version > answer.Version)
                    {
                        problems.Add(
                            new(
                                $"{aPath}.history[{h}].version",
                                $"Each change of an answer has its own version, at most the answer's version ({answer.Version})."
                            )
                        );
                    }
                }
            }
            var reflected = new HashSet<string>(StringComparer.Ordinal);
            for (var x = 0; x < round.Reflections.Count; x++)
            {
                var cellId = round.Reflections[x].CellId;
                if (!cells.Contains(cellId))
                {
                    problems.Add(
                        new(
                            $"{path}.reflections[{x}].cellId",
                            $"The cell '{cellId}' is not in the framework edition '{edition.Id}'."
                        )
                    );
                }
                else if (!reflected.Add(cellId))
                {
                    problems.Add(
                        new(
                            $"{path}.reflections[{x}].cellId",
                            $"The cell '{cellId}' is opened for reflection more than once in round {round.Number}."
                        )
                    );
                }
            }
            var viewed = new HashSet<string>(StringComparer.Ordinal);
            for (var v = 0; v < round.IndividualViews.Count; v++)
            {
                var view = round.IndividualViews[v];
                Item($"{path}.individualViews[{v}].itemId", view.ItemId);
                if (!viewed.Add($"{view.ItemId} {PersonKey(view.Person)}"))
                {
                    problems.Add(
                        new(
                            $"{path}.individualViews[{v}]",
                            $"{view.Person.Name} has more than one view of '{view.ItemId}' in round {round.Number}."
                        )
                    );
                }
            }
        }
        for (var i = 0; i < file.Actions.Count; i++)
        {
            var action = file.Actions[i];
            var path = $"$.actions[{i}]";
            for (var j = 0; j < action.ItemIds.Count; j++)
            {
                Item($"{path}.itemIds[{j}]", action.ItemIds[j]);
            }
            if (action.OpenedInRound > roundCount)
            {
                problems.Add(
                    new(
                        $"{path}.openedInRound",
                        $"The action was opened in round {action.OpenedInRound}, but the review has {roundCount} rounds."
                    )
                );
            }
            if (
                action.ClosedInRound is { } closed
                && (closed > roundCount || closed < action.OpenedInRound)
            )
            {
                problems.Add(
                    new(
                        $"{path}.closedInRound",
                        $"The action was closed in round {closed}, which is not between the round it was opened in and the last round."
                    )
                );
            }
        }
        var discussed = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < file.Discussions.Count; d++)
        {
            var itemId = file.Discussions[d].ItemId;
            Item($"$.discussions[{d}].itemId", itemId);
            if (!discussed.Add(itemId))
            {
                problems.Add(
                    new(
                        $"$.discussions[{d}].itemId",
                        $"The item '{itemId}' has more than one discussion."
                    )
                );
            }
        }
        CheckVoices(file, Item, problems);
        return problems;
    }

    // Contributions name their invitation by its id in the file, and answer only the items it asked about.
    private static void CheckVoices(
        ReviewDocument file,
        Action<string, string> item,
        List<ImportProblem> problems
    )
    {
        var invited = new Dictionary<Guid, HashSet<string>>();
        var invitations = file.Invitations ?? [];
        for (var i = 0; i < invitations.Count; i++)
        {
            var invitation = invitations[i];
            var path = $"$.invitations[{i}]";
            if (
                !invited.TryAdd(invitation.Id, invitation.ItemIds.ToHashSet(StringComparer.Ordinal))
            )
            {
                problems.Add(new($"{path}.id", "Two invitations in the file have the same id."));
            }
            for (var j = 0; j < invitation.ItemIds.Count; j++)
            {
                item($"{path}.itemIds[{j}]", invitation.ItemIds[j]);
            }
        }
        var contributions = file.Contributions ?? [];
        var perInvitation = new Dictionary<Guid, int>();
        for (var c = 0; c < contributions.Count; c++)
        {
            var contribution = contributions[c];
            var path = $"$.contributions[{c}]";
            if (!invited.TryGetValue(contribution.InvitationId, out var asked))
            {
                problems.Add(
                    new(
                        $"{path}.invitationId",
                        "The contribution names an invitation that is not in the file's invitations."
                    )
                );
                continue;
            }
            var count = perInvitation[contribution.InvitationId] =
                perInvitation.GetValueOrDefault(contribution.InvitationId) + 1;
            if (count == VoiceLimits.ContributionsPerInvitation + 1)
            {
                problems.Add(
                    new(
                        $"{path}.invitationId",
                        $"An invitation can have at most {VoiceLimits.ContributionsPerInvitation} contributions."
                    )
                );
            }
            var answered = new HashSet<string>(StringComparer.Ordinal);
            for (var r = 0; r < contribution.Responses.Count; r++)
            {
                var itemId = contribution.Responses[r].ItemId;
                if (!asked.Contains(itemId))
                {
                    problems.Add(
                        new(
                            $"{path}.responses[{r}].itemId",
                            $"The item '{itemId}' is not one its invitation asked about."
                        )
                    );
                }
                else if (!answered.Add(itemId))
                {
                    problems.Add(
                        new(
                            $"{path}.responses[{r}].itemId",
                            $"The contribution answers the item '{itemId}' more than once."
                        )
                    );
                }
            }
        }
    }

    private static string PersonKey(PersonPart person) =>
        person.Email is { } email ? "email:" + email.ToUpperInvariant() : "name:" + person.Name;

    private async Task<Guid> WriteAsync(
        ReviewDocument file,
        FrameworkEdition edition,
        CancellationToken ct
    )
    {
        var organisationId = member.OrganisationId!.Value;
        var importer = member.UserId!.Value;
        var people = await PeopleAsync(ct);
        var cellOf = edition
            .AllCells.SelectMany(c => c.Items.Select(i => (Item: i.Id, Cell: c.Id)))
            .ToDictionary(p => p.Item, p => p.Cell, StringComparer.Ordinal);

        var review = new Review
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Title = file.Review.Title,
            Innovation = file.Review.Innovation,
            ServiceArea = file.Review.ServiceArea,
            SituationId = file.Review.SituationId,
            EditionId = edition.Id,
            Partners = file.Review.Partners,
            CreatedAt = file.Review.CreatedAt,
            CreatedByUserId = people.Find(file.Review.CreatedBy)?.UserId ?? importer,
            UpdatedAt = file.Review.UpdatedAt,
            ArchivedAt = file.Review.ArchivedAt,
            CurrentRoundNumber = file.Rounds.Count,
            CurrentStageId = file.Rounds[^1].StageId,
            ItemCount = cellOf.Count,
        };
        db.Reviews.Add(review);
        foreach (var part in file.Rounds)
        {
            var round = new Round
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisationId,
                ReviewId = review.Id,
                Number = part.Number,
                StageId = part.StageId,
                StartedAt = part.StartedAt,
                StartedByUserId = people.Find(part.StartedBy)?.UserId ?? importer,
                FrozenAt = part.FrozenAt,
            };
            db.Rounds.Add(round);
            if (part.Number == file.Rounds.Count)
            {
                review.CurrentRoundId = round.Id;
                review.ConsideredCount = part.Answers.Count(a =>
                    a.Position != Position.NotYetConsidered
                );
                review.ConcernCount = part.Answers.Count(a => a.Position == Position.Concern);
            }
            foreach (var a in part.Answers)
            {
                var updatedBy = people.Resolve(a.UpdatedBy);
                var answer = new Answer
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = organisationId,
                    ReviewId = review.Id,
                    RoundId = round.Id,
                    CellId = cellOf[a.ItemId],
                    ItemId = a.ItemId,
                    Position = a.Position,
                    NotApplicableReason = a.NotApplicableReason,
                    Reasoning = a.Reasoning,
                    Evidence = a.Evidence,
                    Voices = Combine(a.Voices),
                    Dissent = a.Dissent,
                    Version = a.Version,
                    UpdatedAt = a.UpdatedAt,
                    UpdatedByUserId = updatedBy.UserId,
                    UpdatedByName = updatedBy.Name,
                };
                db.Answers.Add(answer);
                foreach (var c in a.History)
                {
                    var changedBy = people.Resolve(c.ChangedBy);
                    db.AnswerChanges.Add(
                        new AnswerChange
                        {
                            OrganisationId = organisationId,
                            AnswerId = answer.Id,
                            ReviewId = review.Id,
                            RoundId = round.Id,
                            ItemId = a.ItemId,
                            Version = c.Version,
                            Position = c.Position,
                            NotApplicableReason = c.NotApplicableReason,
                            Reasoning = c.Reasoning,
                            Evidence = c.Evidence,
                            Voices = Combine(c.Voices),
                            Dissent = c.Dissent,
                            ChangedAt = c.ChangedAt,
                            ChangedByUserId = changedBy.UserId,
                            ChangedByName = changedBy.Name,
                        }
                    );
                }
            }
            foreach (var x in part.Reflections)
            {
                db.Reflections.Add(
                    new Reflection
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        ReviewId = review.Id,
                        RoundId = round.Id,
                        CellId = x.CellId,
                        OpenedAt = x.OpenedAt,
                        OpenedByName = people.Resolve(x.OpenedBy).Name,
                        RevealedAt = x.RevealedAt,
                        RevealedByName = x.RevealedBy is { } r ? people.Resolve(r).Name : null,
                    }
                );
            }
            foreach (var v in part.IndividualViews)
            {
                var who = people.Resolve(v.Person);
                db.IndividualViews.Add(
                    new IndividualView
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        ReviewId = review.Id,
                        RoundId = round.Id,
                        CellId = cellOf[v.ItemId],
                        ItemId = v.ItemId,
                        UserId = who.UserId,
                        UserName = who.Name,
                        Position = v.Position,
                        Reasoning = v.Reasoning,
                        MinorityView = v.MinorityView,
                        MinorityViewNamed = v.MinorityViewNamed,
                        UpdatedAt = v.UpdatedAt,
                    }
                );
            }
        }
        foreach (var a in file.Actions)
        {
            var owner = a.Owner is { } o ? people.Find(o) : null;
            db.Actions.Add(
                new ReviewAction
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = organisationId,
                    ReviewId = review.Id,
                    Title = a.Title,
                    OwnerUserId = owner?.UserId,
                    OwnerName = owner is null ? a.Owner?.Name : null,
                    DueDate = a.DueDate is { } due
                        ? due.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                        : null,
                    Status = a.Status,
                    ItemIds = string.Join(' ', a.ItemIds),
                    CreatedAt = a.CreatedAt,
                    CreatedByUserId = people.Find(a.CreatedBy)?.UserId ?? importer,
                    OpenedInRound = a.OpenedInRound,
                    ClosedInRound = a.ClosedInRound,
                    ClosedAt = a.ClosedAt,
                    Version = 1,
                }
            );
        }
        foreach (var d in file.Discussions)
        {
            if (d.ResolvedAt is not null || d.ResolvedBy is not null)
            {
                db.CommentThreads.Add(
                    new CommentThread
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        ReviewId = review.Id,
                        ItemId = d.ItemId,
                        ResolvedAt = d.ResolvedAt,
                        ResolvedByName = d.ResolvedBy is { } r ? people.Resolve(r).Name : null,
                    }
                );
            }
            foreach (var c in d.Comments)
            {
                var author = people.Resolve(c.Author);
                db.Comments.Add(
                    new Comment
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        ReviewId = review.Id,
                        ItemId = d.ItemId,
                        AuthorUserId = author.UserId,
                        AuthorName = author.Name,
                        Body = c.Body,
                        CreatedAt = c.CreatedAt,
                        // Only members can be mentioned (and notified): anyone else is already named in the text.
                        MentionedUserIds = string.Join(
                            ' ',
                            c.Mentions.Select(people.Find)
                                .OfType<Matched>()
                                .Select(m => m.UserId)
                                .Distinct()
                        ),
                    }
                );
            }
        }
        var invitationIds = new Dictionary<Guid, (Guid Id, Voices Group)>();
        foreach (var i in file.Invitations ?? [])
        {
            var invitation = new VoiceInvitation
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisationId,
                ReviewId = review.Id,
                Group = i.Group,
                PublicName = i.PublicName,
                ItemIds = string.Join(' ', i.ItemIds),
                ConsentStatement = i.ConsentStatement,
                SafeguardingContact = i.SafeguardingContact,
                // A hash of a token no one holds: the old link never opens here. A facilitator can
                // issue a new link for an invitation that is still open.
                TokenHash = MembershipService.HashToken(Secret()),
                CreatedByUserId = people.Find(i.CreatedBy)?.UserId ?? importer,
                CreatedAt = i.CreatedAt,
                ExpiresAt = i.ExpiresAt,
                RevokedAt = i.RevokedAt,
            };
            invitationIds[i.Id] = (invitation.Id, invitation.Group);
            db.VoiceInvitations.Add(invitation);
        }
        foreach (var c in file.Contributions ?? [])
        {
            var (invitationId, group) = invitationIds[c.InvitationId];
            var contribution = new VoiceContribution
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisationId,
                InvitationId = invitationId,
                ReviewId = review.Id,
                Group = group,
                Name = c.Name,
                SubmittedAt = c.SubmittedAt,
                // The key to withdraw stays in the contributor's browser where they gave it; here it is unknown.
                WithdrawKeyHash = MembershipService.HashToken(Secret()),
            };
            db.VoiceContributions.Add(contribution);
            foreach (var r in c.Responses)
            {
                db.VoiceResponses.Add(
                    new VoiceResponse
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = organisationId,
                        ContributionId = contribution.Id,
                        ReviewId = review.Id,
                        ItemId = r.ItemId,
                        Text = r.Text,
                    }
                );
            }
        }
        audit.Add(
            AuditActions.ReviewImported,
            nameof(Review),
            review.Id.ToString(),
            $"'{review.Title}' from {file.Source.Organisation} ({file.Source.Installation}), exported {file.ExportedAt:yyyy-MM-dd HH:mm} UTC: {file.Rounds.Count} rounds, {file.Actions.Count} actions, {file.Contributions?.Count ?? 0} lived-experience contributions; {people.MatchedCount} people matched to members by email, {people.NamedCount} kept as names"
        );
        // One transaction: a failure anywhere leaves the database as it was.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return review.Id;
    }

    private static string Secret() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static Voices Combine(List<Voices> voices) =>
        voices.Aggregate(Voices.None, (all, v) => all | v);

    private sealed record Matched(Guid UserId, string Name);

    private async Task<ImportPeople> PeopleAsync(CancellationToken ct)
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
        return new ImportPeople(
            members
                .Where(m => m.Email is not null)
                .GroupBy(m => m.Email!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(
                    g => g.Key,
                    g => new Matched(g.First().UserId, g.First().DisplayName),
                    StringComparer.OrdinalIgnoreCase
                )
        );
    }

    // People are matched to members of the importing organisation by email; anyone else keeps their name
    // under an id of their own that belongs to no account, so nothing of theirs is shown as someone else's.
    private sealed class ImportPeople(Dictionary<string, Matched> byEmail)
    {
        private readonly Dictionary<string, Guid> _named = new(StringComparer.Ordinal);
        private readonly HashSet<Guid> _matched = [];

        public int MatchedCount => _matched.Count;
        public int NamedCount => _named.Count;

        public Matched? Find(PersonPart person)
        {
            if (person.Email is { } email && byEmail.TryGetValue(email, out var found))
            {
                _matched.Add(found.UserId);
                return found;
            }
            return null;
        }

        public Matched Resolve(PersonPart person)
        {
            if (Find(person) is { } found)
            {
                return found;
            }
            if (!_named.TryGetValue(person.Name, out var id))
            {
                id = Guid.NewGuid();
                _named[person.Name] = id;
            }
            return new Matched(id, person.Name);
        }
    }

    private static List<ImportProblem> DescribeSchemaErrors(EvaluationResults results)
    {
        var details = results.Details is { Count: > 0 } ? results.Details : [results];
        return details
            .Where(d => d.Errors is not null)
            .SelectMany(d =>
                d.Errors!.Select(e =>
                    Describe(
                        FrameworkLoader.ToJsonPath(d.InstanceLocation.ToString()),
                        e.Key,
                        e.Value
                    )
                )
            )
            .Distinct()
            .Take(MaxProblems)
            .ToList();
    }

    private static ImportProblem Describe(string path, string keyword, string message) =>
        keyword switch
        {
            "additionalProperties" or "unevaluatedProperties" or "false" => new(
                path,
                "This field is not part of the PEISC review format."
            ),
            "required" => new(path, $"Something required is missing: {message}"),
            "maxLength" => new(path, $"The text is too long: {message}"),
            "enum" or "const" => new(
                path,
                $"This value is not one of those the review format allows: {message}"
            ),
            "pattern" when path.EndsWith("At", StringComparison.Ordinal) => new(
                path,
                "Enter a time in UTC, like 2026-11-26T14:05:00Z."
            ),
            _ when message.Contains("false schema", StringComparison.Ordinal) => new(
                path,
                "This field is not part of the PEISC review format."
            ),
            _ => new(path, message),
        };

    private static string ReadSchema()
    {
        const string name = "Peisc.Web.Transfer.review-transfer.schema.json";
        using var stream =
            Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
