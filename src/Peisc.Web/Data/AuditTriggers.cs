using Microsoft.EntityFrameworkCore;

namespace Peisc.Web.Data;

/// <summary>
/// The database itself refuses to change or delete audit rows (trust.md R2), whatever code runs
/// against it. Two updates are allowed: sealing an unsealed row (setting only its seal columns), and
/// an erasure blanking personal fields (each to null, nothing else changed, the row marked redacted).
/// Applied at every start-up, after the migrations, so a dropped trigger comes back on the next start.
/// </summary>
public static class AuditTriggers
{
    public static Task EnsureAsync(AppDbContext db) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlRawAsync(Postgres)
            : db.Database.ExecuteSqlRawAsync(Sqlite);

    // Unchanged in every allowed update.
    private static readonly string[] Fixed =
    [
        "Id",
        "OccurredAt",
        "OrganisationId",
        "Action",
        "EntityType",
        "Salt",
        "ContentDigest",
    ];
    private static readonly string[] Seal = ["Sequence", "PreviousHash", "Hash"];
    private static readonly string[] Personal =
    [
        "ActorUserId",
        "ActorName",
        "EntityId",
        "Detail",
        "CorrelationId",
    ];

    private static string Allowed(
        Func<string, string> same,
        string isNull,
        string isNotNull,
        string yes
    )
    {
        var sealing = string.Join(
            " AND ",
            Fixed
                .Concat(Personal)
                .Append("Redacted")
                .Select(same)
                .Concat(Seal.Select(c => $"OLD.\"{c}\" {isNull}"))
                .Concat(Seal.Select(c => $"NEW.\"{c}\" {isNotNull}"))
        );
        var redacting = string.Join(
            " AND ",
            Fixed
                .Concat(Seal)
                .Select(same)
                .Append($"NEW.\"Redacted\" = {yes}")
                .Concat(Personal.Select(c => $"({same(c)} OR NEW.\"{c}\" {isNull})"))
        );
        return $"({sealing}) OR ({redacting})";
    }

    private static readonly string Sqlite = $"""
        CREATE TRIGGER IF NOT EXISTS "AuditEvents_no_delete" BEFORE DELETE ON "AuditEvents"
        BEGIN SELECT RAISE(ABORT, 'Audit rows cannot be deleted'); END;
        CREATE TRIGGER IF NOT EXISTS "AuditEvents_no_update" BEFORE UPDATE ON "AuditEvents"
        WHEN NOT ({Allowed(c => $"NEW.\"{c}\" IS OLD.\"{c}\"", "IS NULL", "IS NOT NULL", "1")})
        BEGIN SELECT RAISE(ABORT, 'Audit rows cannot be changed'); END;
        """;

    private static readonly string Postgres = $$"""
        CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $guard$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            IF {{Allowed(
            c => $"NEW.\"{c}\" IS NOT DISTINCT FROM OLD.\"{c}\"",
            "IS NULL",
            "IS NOT NULL",
            "TRUE"
        )}} THEN
              RETURN NEW;
            END IF;
          END IF;
          RAISE EXCEPTION 'Audit rows cannot be changed or deleted';
        END
        $guard$;
        DO $do$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_events_guard' AND tgrelid = '"AuditEvents"'::regclass) THEN
            CREATE TRIGGER audit_events_guard BEFORE UPDATE OR DELETE ON "AuditEvents"
              FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_events_no_truncate' AND tgrelid = '"AuditEvents"'::regclass) THEN
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "AuditEvents"
              FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard();
          END IF;
        END
        $do$;
        """;
}
