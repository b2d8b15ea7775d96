using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;
using Peisc.Web.Workshops;

namespace Peisc.Tests.Trust;

/// <summary>The ids of one organisation's records of every kind, for filling in routes.</summary>
public sealed record TrustRecords(
    TestOrganisation Organisation,
    Guid ReviewId,
    Guid ArchivedReviewId,
    Guid ActionId,
    Guid WorkshopId,
    string JoinCode,
    Guid VoiceInvitationId,
    string VoiceToken,
    Guid ContributionId,
    Guid EditionId,
    Guid InvitationId,
    string InvitationToken,
    Guid AccessTokenId,
    string ApiToken
)
{
    public const string ItemId = "human-rights.process.1";
    public const string SectionId = "human-rights";
    public const string DomainId = "process";
}

/// <summary>
/// trust.md's set-up: an organisation seeded with every role and every kind of record, and (for B)
/// every text field holding a canary, so that any leak of B's data shows in a response.
/// </summary>
public static class TrustData
{
    public const string CanaryPrefix = "CANARY-B-";

    // String columns that are not text people write: identifiers, codes, hashes and machine values.
    // A canary there would only break B's records, not make a leak any easier to see.
    private static readonly Dictionary<string, string> NotText = new()
    {
        ["ItemId"] = "a framework item id",
        ["CellId"] = "a framework cell id",
        ["ItemIds"] = "framework item ids",
        ["EditionId"] = "a framework edition id",
        ["DefaultEditionId"] = "a framework edition id",
        ["SituationId"] = "a framework situation id",
        ["StageId"] = "a framework stage id",
        ["CurrentStageId"] = "a framework stage id",
        ["TokenHash"] = "a hash",
        ["WithdrawKeyHash"] = "a hash",
        ["Prefix"] = "the public start of a token, shown to its owner",
        ["JoinCode"] = "eight characters, unique",
        ["MentionedUserIds"] = "user ids",
        ["Json"] = "the edition file itself; its title holds a canary",
        ["Action"] = "an audit action code",
        ["EntityType"] = "a type name",
        ["EntityId"] = "an id",
        ["CorrelationId"] = "a request id",
        ["Salt"] = "an audit row's random salt",
        ["ContentDigest"] = "a hash",
        ["PreviousHash"] = "a hash",
        ["Hash"] = "a hash",
        ["PasswordHash"] = "a hash",
        ["SecurityStamp"] = "a random stamp",
        ["ConcurrencyStamp"] = "a random stamp",
        ["NormalizedEmail"] = "the email, upper-cased",
        ["NormalizedUserName"] = "the email, upper-cased",
        ["PhoneNumber"] = "never collected",
    };

    /// <summary>Creates an organisation with every role and one or more records of every kind.</summary>
    public static async Task<TrustRecords> SeedAsync(TestApp app, string name)
    {
        var org = await app.CreateOrganisationAsync(name);
        var review = await app.CreateReviewAsync(org, name + " review");
        var archived = await app.CreateReviewAsync(org, name + " archived review");
        await app.AnswerAsync(org, review.Id, TrustRecords.ItemId, Position.Concern, "First");
        await app.AnswerAsync(org, review.Id, TrustRecords.ItemId, Position.Concern, "Second");
        var action = await app.CreateActionAsync(
            org,
            review.Id,
            name + " action",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3),
            ActionStatus.Open,
            TrustRecords.ItemId
        );
        await app.StartRoundAsync(org, review.Id, "stage.3");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.2",
            Position.PartlyAddressed,
            "Round two"
        );
        var (voiceInvitation, voiceToken) = await app.InviteVoicesAsync(org, review.Id);
        var workshop = await app.StartWorkshopAsync(org, review.Id);
        var apiToken = await app.CreateAccessTokenAsync(org, org.Owner, name: name + " token");
        var invitationToken = "trust-invitation-" + Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        var ids = await app.QueryAsync(
            async d =>
            {
                var round = await d
                    .Reviews.Where(r => r.Id == review.Id)
                    .Select(r => r.CurrentRoundId)
                    .SingleAsync();
                var contributor = org[MemberRole.Contributor];
                var edition = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.EditionPath))!;
                edition["id"] = "trust-" + name.ToLowerInvariant();
                edition["title"] = name + " edition";
                var editionRow = new OrganisationEdition
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = org.Id,
                    EditionId = "trust-" + name.ToLowerInvariant(),
                    Title = name + " edition",
                    Version = "1",
                    Json = edition.ToJsonString(),
                    UploadedByUserId = org.Owner.Id,
                    UploadedAt = now,
                };
                var invitation = new Invitation
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = org.Id,
                    Email = "pending." + name.ToLowerInvariant() + "@example.org",
                    Role = MemberRole.Contributor,
                    TokenHash = MembershipService.HashToken(invitationToken),
                    InvitedByUserId = org.Owner.Id,
                    CreatedAt = now,
                    ExpiresAt = now.AddDays(7),
                };
                var contribution = new VoiceContribution
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = org.Id,
                    InvitationId = voiceInvitation.Id,
                    ReviewId = review.Id,
                    Group = Voices.Families,
                    Name = name + " parent",
                    SubmittedAt = now,
                    WithdrawKeyHash = MembershipService.HashToken(Guid.NewGuid().ToString()),
                };
                var participant = new WorkshopParticipant
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = org.Id,
                    SessionId = workshop.Id,
                    Name = name + " guest",
                    JoinedAt = now,
                };
                d.OrganisationEditions.Add(editionRow);
                d.Invitations.Add(invitation);
                d.VoiceContributions.Add(contribution);
                d.VoiceResponses.Add(
                    new VoiceResponse
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ContributionId = contribution.Id,
                        ReviewId = review.Id,
                        ItemId = TrustRecords.ItemId,
                        Text = name + " said this",
                    }
                );
                d.PlainLanguageTexts.Add(
                    new PlainLanguageText
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ItemId = TrustRecords.ItemId,
                        Text = name + " plain words?",
                        UpdatedAt = now,
                        UpdatedByUserId = org.Owner.Id,
                    }
                );
                d.Comments.Add(
                    new Comment
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        ItemId = TrustRecords.ItemId,
                        AuthorUserId = contributor.Id,
                        AuthorName = contributor.Name,
                        Body = name + " comment",
                        CreatedAt = now,
                    }
                );
                d.CommentThreads.Add(
                    new CommentThread
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        ItemId = TrustRecords.ItemId,
                        ResolvedAt = now,
                        ResolvedByName = org.Owner.Name,
                    }
                );
                d.Reflections.Add(
                    new Reflection
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        RoundId = round,
                        CellId = "human-rights.process",
                        OpenedAt = now,
                        OpenedByName = org.Owner.Name,
                        RevealedAt = now,
                        RevealedByName = org.Owner.Name,
                    }
                );
                d.IndividualViews.Add(
                    new IndividualView
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        ReviewId = review.Id,
                        RoundId = round,
                        CellId = "human-rights.process",
                        ItemId = TrustRecords.ItemId,
                        UserId = contributor.Id,
                        UserName = contributor.Name,
                        Position = Position.Concern,
                        Reasoning = name + " view",
                        MinorityView = name + " minority",
                        MinorityViewNamed = true,
                        UpdatedAt = now,
                    }
                );
                d.WorkshopParticipants.Add(participant);
                d.WorkshopSubmissions.Add(
                    new WorkshopSubmission
                    {
                        Id = Guid.NewGuid(),
                        OrganisationId = org.Id,
                        SessionId = workshop.Id,
                        ParticipantId = participant.Id,
                        ItemId = workshop.CurrentItemId,
                        Position = Position.Concern,
                        Note = name + " note",
                        SubmittedAt = now,
                    }
                );
                await d.SaveChangesAsync();
                var token = await d
                    .AccessTokens.Where(t => t.OrganisationId == org.Id)
                    .Select(t => t.Id)
                    .SingleAsync();
                return (editionRow.Id, invitation.Id, contribution.Id, token);
            },
            org.Id
        );
        await app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var row = await db.Reviews.SingleAsync(r => r.Id == archived.Id);
                row.ArchivedAt = DateTime.UtcNow;
                return await db.SaveChangesAsync();
            }
        );
        return new TrustRecords(
            org,
            review.Id,
            archived.Id,
            action.Id,
            workshop.Id,
            workshop.JoinCode,
            voiceInvitation.Id,
            voiceToken,
            ids.Item3,
            ids.Item1,
            ids.Item2,
            invitationToken,
            ids.token,
            apiToken
        );
    }

    /// <summary>
    /// Writes a canary into every text column of every row the organisation owns, its own row and
    /// its members' names and emails; then checks that no text column was missed.
    /// </summary>
    public static async Task<string> PlantCanariesAsync(TestApp app, Guid organisationId)
    {
        var canary = CanaryPrefix + Guid.NewGuid().ToString("N");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var users = await db
            .Memberships.IgnoreQueryFilters()
            .Where(m => m.OrganisationId == organisationId)
            .Select(m => m.UserId)
            .ToListAsync();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var n = 0;
        foreach (var userId in users)
        {
            var user = await userManager.FindByIdAsync(userId.ToString());
            user!.DisplayName = canary + " person";
            // Still an address, so the members' pages treat it as one; the check reads it case-blind.
            var email = $"{canary.ToLowerInvariant()}.{n++}@example.org";
            user.Email = email;
            user.UserName = email;
            var result = await userManager.UpdateAsync(user);
            Assert.True(result.Succeeded);
        }

        // The audit trail is append-only (the database refuses updates): its canary comes in a row of its own.
        var auditTable = db.Model.FindEntityType(typeof(AuditEvent))!.GetTableName();
        db.AuditEvents.Add(
            new AuditEvent
            {
                OccurredAt = DateTime.UtcNow,
                OrganisationId = organisationId,
                ActorName = canary,
                Action = "test.canary",
                Detail = canary,
            }
        );
        await db.SaveChangesAsync();

        var missed = new List<string>();
        foreach (var (table, columns, key) in TextColumns(db))
        {
            foreach (var column in table == auditTable ? [] : columns)
            {
                await ExecuteAsync(
                    connection,
                    $"UPDATE \"{table}\" SET \"{column}\" = @canary WHERE \"{key}\" = @org",
                    canary,
                    organisationId,
                    db.Database.ProviderName!
                );
            }
            var rows = await RowsAsync(connection, table);
            foreach (
                var row in rows.Where(r =>
                    Owned(r, key, organisationId)
                    && (table != auditTable || r["Action"] == "test.canary")
                )
            )
            {
                missed.AddRange(
                    columns
                        .Where(c =>
                            !(row[c] ?? "").Contains(CanaryPrefix, StringComparison.Ordinal)
                        )
                        .Select(c => $"{table}.{c}")
                );
            }
        }
        Assert.True(missed.Count == 0, "Columns without a canary: " + string.Join(", ", missed));
        return canary;
    }

    private static bool Owned(Dictionary<string, string?> row, string key, Guid org) =>
        string.Equals(row[key], org.ToString(), StringComparison.OrdinalIgnoreCase);

    // Every table with an organisation column (and the organisations table itself), with its text columns.
    private static List<(string Table, List<string> Columns, string Key)> TextColumns(
        AppDbContext db
    ) =>
        db
            .Model.GetEntityTypes()
            .Where(e =>
                e.FindProperty("OrganisationId") is not null || e.ClrType == typeof(Organisation)
            )
            .Select(e =>
                (
                    Table: e.GetTableName()!,
                    Columns: e.GetProperties()
                        .Where(p => p.ClrType == typeof(string) && !NotText.ContainsKey(p.Name))
                        .Select(p => p.GetColumnName())
                        .ToList(),
                    Key: e.ClrType == typeof(Organisation) ? "Id" : "OrganisationId"
                )
            )
            .Where(t => t.Columns.Count > 0)
            .ToList();

    /// <summary>
    /// Every row of every table that belongs to the organisation (and its members' user rows),
    /// column by column, so that any change shows as a difference.
    /// </summary>
    public static async Task<string> SnapshotAsync(
        TestApp app,
        Guid organisationId,
        string[]? skipTables = null,
        string[]? skipColumns = null
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var users = (
            await db
                .Memberships.IgnoreQueryFilters()
                .Where(m => m.OrganisationId == organisationId)
                .Select(m => m.UserId)
                .ToListAsync()
        )
            .Select(u => u.ToString())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        foreach (
            var entity in db
                .Model.GetEntityTypes()
                .Where(e => e.GetTableName() is not null && !e.IsOwned())
                .OrderBy(e => e.GetTableName(), StringComparer.Ordinal)
        )
        {
            var table = entity.GetTableName()!;
            if (skipTables?.Contains(table) == true)
            {
                continue;
            }
            string? key =
                entity.FindProperty("OrganisationId") is not null ? "OrganisationId"
                : entity.ClrType == typeof(Organisation) ? "Id"
                : entity.ClrType == typeof(AppUser) ? "Id"
                : null;
            if (key is null)
            {
                continue;
            }
            var rows = await RowsAsync(connection, table);
            foreach (
                var row in rows.Where(r =>
                        entity.ClrType == typeof(AppUser)
                            ? users.Contains(r[key] ?? "")
                            : Owned(r, key, organisationId)
                    )
                    .Select(r =>
                        string.Join(
                            "|",
                            r.Where(c =>
                                    skipColumns?.Contains(c.Key) != true
                                    // The sealer chains audit rows in the background: the one change they may have.
                                    && !(
                                        entity.ClrType == typeof(AuditEvent)
                                        && c.Key is "Sequence" or "PreviousHash" or "Hash"
                                    )
                                )
                                .Select(c => $"{c.Key}={c.Value}")
                        )
                    )
                    .Order(StringComparer.Ordinal)
            )
            {
                text.Append(table).Append(": ").AppendLine(row);
            }
        }
        return text.ToString();
    }

    // Table and column names come from the EF model, never from input.
    private static async Task<List<Dictionary<string, string?>>> RowsAsync(
        DbConnection connection,
        string table
    )
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i)
                    ? null
                    : Convert.ToString(
                        reader.GetValue(i),
                        System.Globalization.CultureInfo.InvariantCulture
                    );
            }
            rows.Add(row);
        }
        return rows;
    }

    private static async Task ExecuteAsync(
        DbConnection connection,
        string sql,
        string canary,
        Guid organisationId,
        string provider
    )
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.CreateParameter();
        value.ParameterName = "@canary";
        value.Value = canary;
        command.Parameters.Add(value);
        var org = command.CreateParameter();
        org.ParameterName = "@org";
        // SQLite keeps Guids as upper-case text; PostgreSQL as uuid.
        org.Value = provider.Contains("Sqlite", StringComparison.Ordinal)
            ? organisationId.ToString().ToUpperInvariant()
            : organisationId;
        command.Parameters.Add(org);
        await command.ExecuteNonQueryAsync();
    }
}
