using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Trust;

// trust.md R2: the app cannot change or delete audit rows, and the hash chain finds tampering by
// someone who goes round the app: each attack drops the triggers first, as the database's owner could.
public sealed class AuditChainTests
{
    [Theory, BothDatabases]
    public async Task VerifyCommand_AfterARealisticRun_ReportsEveryRowIntact(Db db)
    {
        await using var app = new TestApp(db);
        await app.RealisticRunAsync();

        var (exit, output) = await app.RunCommandAsync("audit", "verify");

        var rows = await app.AuditAsync();
        Assert.True(rows.Count >= 11, $"only {rows.Count} audit rows");
        Assert.Equal(0, exit);
        Assert.Equal($"Audit trail intact: {rows.Count} rows", output.Trim());
        // Sealed in the order written, each naming the one before.
        var chain = await app.ChainAsync();
        Assert.Equal(rows.Select(r => r.Id), chain.Select(r => r.Id));
        Assert.Equal(
            Enumerable.Range(1, rows.Count).Select(i => (long)i),
            chain.Select(r => r.Sequence!.Value)
        );
        Assert.Equal(AuditChain.Genesis, chain[0].PreviousHash);
        Assert.All(
            chain.Skip(1).Zip(chain),
            p => Assert.Equal(p.Second.Hash, p.First.PreviousHash)
        );
    }

    [Theory, BothDatabases]
    public async Task Sealer_RowsWrittenAfterASeal_JoinTheSameChain(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.RealisticRunAsync();
        await app.SealAsync();

        await app.SignedInAsync(org[MemberRole.Viewer]);
        var second = await app.SealAsync();

        // The background sealer may have sealed some rows before the first call, so only the
        // second call's count is known exactly.
        Assert.Equal(1, second);
        Assert.Equal(0, await app.SealAsync());
        var result = await app.VerifyAsync();
        Assert.True(result.Intact, result.Break?.ToString());
        Assert.Equal((await app.AuditAsync()).Count, result.RowsChecked);
    }

    public static TheoryData<Db, string> Attacks()
    {
        var data = new TheoryData<Db, string>();
        foreach (var db in new[] { Db.Sqlite, Db.Postgres })
        {
            foreach (
                var attack in new[]
                {
                    "detail",
                    "actor",
                    "time",
                    "delete",
                    "insert",
                    "reorder",
                    "redact",
                }
            )
            {
                data.Add(db, attack);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Attacks))]
    public async Task VerifyCommand_RowTamperedWithRawSql_ReportsTheRow(Db db, string attack)
    {
        await using var app = new TestApp(db);
        await app.RealisticRunAsync();
        await app.SealAsync();
        var chain = await app.ChainAsync();
        var k = chain.Count / 2;
        var target = chain[k]; // sequence k + 1
        var next = chain[k + 1];
        await app.DropAuditTriggersAsync();

        long expectedRow;
        switch (attack)
        {
            case "detail":
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Detail" = 'nothing happened' WHERE "Id" = {target.Id}"""
                );
                expectedRow = target.Id;
                break;
            case "actor":
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "ActorName" = 'Someone Else' WHERE "Id" = {target.Id}"""
                );
                expectedRow = target.Id;
                break;
            case "time":
                var earlier = target.OccurredAt.AddHours(-3);
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "OccurredAt" = {earlier} WHERE "Id" = {target.Id}"""
                );
                expectedRow = target.Id;
                break;
            case "delete":
                await app.SqlAsync($"""DELETE FROM "AuditEvents" WHERE "Id" = {target.Id}""");
                expectedRow = next.Id;
                break;
            case "insert":
                // A forged row that knows the algorithm and links to the row before it, with the
                // rest renumbered to make room: the next row no longer links to what precedes it.
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Sequence" = -"Sequence" - 1 WHERE "Sequence" >= {target.Sequence}"""
                );
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Sequence" = -"Sequence" WHERE "Sequence" < 0"""
                );
                var forged = new AuditEvent
                {
                    OccurredAt = target.OccurredAt,
                    OrganisationId = target.OrganisationId,
                    Action = "sign-in.succeeded",
                    EntityType = "AppUser",
                    Salt = AuditChain.NewSalt(),
                    ActorName = "Nobody Real",
                };
                forged.ContentDigest = AuditChain.ContentDigest(forged);
                var hash = AuditChain.Hash(target.PreviousHash!, target.Sequence!.Value, forged);
                await app.SqlAsync(
                    $"""
                    INSERT INTO "AuditEvents" ("OccurredAt", "OrganisationId", "ActorName", "Action", "EntityType", "Salt", "ContentDigest", "Redacted", "Sequence", "PreviousHash", "Hash")
                    VALUES ({forged.OccurredAt}, {forged.OrganisationId}, {forged.ActorName}, {forged.Action}, {forged.EntityType}, {forged.Salt}, {forged.ContentDigest}, {false}, {target.Sequence}, {target.PreviousHash}, {hash})
                    """
                );
                expectedRow = target.Id;
                break;
            case "reorder":
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Sequence" = -1 WHERE "Id" = {target.Id}"""
                );
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Sequence" = {target.Sequence} WHERE "Id" = {next.Id}"""
                );
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Sequence" = {next.Sequence} WHERE "Id" = {target.Id}"""
                );
                expectedRow = next.Id;
                break;
            case "redact":
                // Marking a row redacted stops its digest being checked: only an erasure may do that.
                await app.SqlAsync(
                    $"""UPDATE "AuditEvents" SET "Detail" = 'nothing happened', "Redacted" = {true} WHERE "Id" = {target.Id}"""
                );
                expectedRow = 0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attack));
        }

        var (exit, output) = await app.RunCommandAsync("audit", "verify");

        Assert.Equal(1, exit);
        Assert.StartsWith("Audit trail broken at ", output, StringComparison.Ordinal);
        var result = await app.VerifyAsync();
        Assert.NotNull(result.Break);
        if (expectedRow == 0)
        {
            Assert.Null(result.Break.Row);
            Assert.Contains(
                "1 rows are redacted but erasures account for only 0",
                output,
                StringComparison.Ordinal
            );
        }
        else
        {
            Assert.Equal(expectedRow, result.Break.Row!.Id);
            Assert.Contains($"row {expectedRow} ", output, StringComparison.Ordinal);
            // The forged row itself fits (its forger knew the algorithm); the row it displaced does not.
            Assert.Equal(attack == "insert" ? k + 1 : k, result.RowsChecked);
        }
    }

    [Theory, BothDatabases]
    public async Task SaveChanges_AuditRowChangedOrRemoved_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        await app.RealisticRunAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await context.AuditEvents.IgnoreQueryFilters().OrderBy(e => e.Id).FirstAsync();

        row.Detail = "nothing happened";
        var change = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            context.SaveChangesAsync()
        );
        context.ChangeTracker.Clear();
        context.AuditEvents.Remove(row);
        var removal = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            context.SaveChangesAsync()
        );

        Assert.Contains("append-only", change.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", removal.Message, StringComparison.Ordinal);
        var stored = await app.QueryAsync(d =>
            d.AuditEvents.IgnoreQueryFilters().SingleAsync(e => e.Id == row.Id)
        );
        Assert.NotEqual("nothing happened", stored.Detail);
    }

    [Theory, BothDatabases]
    public async Task Database_UpdateOrDeleteOfAuditRows_IsRefusedByItsTriggers(Db db)
    {
        await using var app = new TestApp(db);
        await app.RealisticRunAsync();
        await app.SealAsync();
        var before = await app.AuditAsync();
        var id = before[2].Id;

        // Set-based writes skip SaveChanges: the database itself refuses them.
        string[] attempts =
        [
            $"""UPDATE "AuditEvents" SET "Detail" = 'nothing happened' WHERE "Id" = {id}""",
            $"""UPDATE "AuditEvents" SET "OccurredAt" = "OccurredAt" WHERE "Id" = {id}""",
            $"""UPDATE "AuditEvents" SET "Hash" = NULL, "Sequence" = NULL, "PreviousHash" = NULL WHERE "Id" = {id}""",
            $"""UPDATE "AuditEvents" SET "Action" = 'nothing' WHERE "Id" = {id}""",
            // Redacting may only blank personal fields, never rewrite them.
            $"""UPDATE "AuditEvents" SET "Detail" = 'nothing happened', "Redacted" = {(db == Db.Sqlite ? "1" : "TRUE")} WHERE "Id" = {id}""",
            $"""DELETE FROM "AuditEvents" WHERE "Id" = {id}""",
            """DELETE FROM "AuditEvents" """,
            db == Db.Sqlite
                ? """DELETE FROM "AuditEvents" WHERE 1"""
                : """TRUNCATE "AuditEvents" """,
        ];
        var refused = 0;
        foreach (var sql in attempts)
        {
            var error = await Record.ExceptionAsync(() => app.RawSqlAsync(sql));
            Assert.NotNull(error);
            Assert.Contains("Audit rows cannot be", error.Message, StringComparison.Ordinal);
            refused++;
        }
        var ef = await Record.ExceptionAsync(() =>
            app.QueryAsync(d =>
                d.AuditEvents.IgnoreQueryFilters().Where(e => e.Id == id).ExecuteDeleteAsync()
            )
        );
        Assert.NotNull(ef);

        Assert.Equal(attempts.Length, refused);
        var after = await app.AuditAsync();
        Assert.Equal(
            before.Select(e => (e.Id, e.Detail, e.Action, e.Hash)),
            after.Select(e => (e.Id, e.Detail, e.Action, e.Hash))
        );
        Assert.True((await app.VerifyAsync()).Intact);
    }
}
