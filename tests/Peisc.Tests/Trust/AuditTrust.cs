using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Operations;

namespace Peisc.Tests.Trust;

/// <summary>What the audit and personal-data tests share: the operator commands, raw SQL, a realistic run.</summary>
public static class AuditTrust
{
    public static async Task<(int Exit, string Output)> RunCommandAsync(
        this TestApp app,
        params string[] args
    )
    {
        await using var output = new StringWriter();
        var exit = await OperatorCommand.Parse(args)!.RunAsync(app.Services, output, output);
        return (exit, output.ToString());
    }

    public static async Task<int> SealAsync(this TestApp app) =>
        await app.Services.GetRequiredService<AuditSealer>().SealAsync();

    public static Task<AuditVerification> VerifyAsync(this TestApp app) =>
        app.QueryAsync(db => AuditChain.VerifyAsync(db));

    /// <summary>Runs SQL as someone with direct access to the database would.</summary>
    public static Task<int> SqlAsync(this TestApp app, FormattableString sql) =>
        app.QueryAsync(db => db.Database.ExecuteSqlAsync(sql));

    public static Task<int> RawSqlAsync(this TestApp app, string sql) =>
        app.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql));

    /// <summary>What an attacker with the database's owner rights does first.</summary>
    public static Task<int> DropAuditTriggersAsync(this TestApp app) =>
        app.RawSqlAsync(
            app.Provider == Db.Sqlite
                ? """DROP TRIGGER "AuditEvents_no_update"; DROP TRIGGER "AuditEvents_no_delete";"""
                : """DROP TRIGGER audit_events_guard ON "AuditEvents"; DROP TRIGGER audit_events_no_truncate ON "AuditEvents";"""
        );

    public static Task<List<AuditEvent>> ChainAsync(this TestApp app) =>
        app.QueryAsync(db =>
            db.AuditEvents.IgnoreQueryFilters()
                .AsNoTracking()
                .Where(e => e.Sequence != null)
                .OrderBy(e => e.Sequence)
                .ToListAsync()
        );

    /// <summary>
    /// Sign-ins (one failed), a settings change through its page, a review with answers saved
    /// through the app's writer (the grouped writer on SQLite), an action and a round.
    /// </summary>
    public static async Task<TestOrganisation> RealisticRunAsync(this TestApp app)
    {
        var org = await app.CreateOrganisationAsync();
        var owner = await app.SignedInAsync(org.Owner);
        await app.SignedInAsync(org[MemberRole.Facilitator]);
        var failed = app.Browser();
        var signIn = await failed.GetPageAsync("/account/sign-in");
        await failed.SubmitAsync(
            signIn,
            new Dictionary<string, string>
            {
                ["Input.Email"] = org[MemberRole.Viewer].Email,
                ["Input.Password"] = "not the right password at all",
            }
        );
        var settings = await owner.GetPageAsync("/organisation/settings");
        await owner.SubmitAndFollowAsync(
            settings,
            new Dictionary<string, string> { ["Input.Name"] = org.Name + " (renamed)" }
        );
        var review = await app.CreateReviewAsync(org);
        foreach (
            var item in new[]
            {
                "human-rights.process.1",
                "human-rights.process.2",
                "human-rights.process.3",
            }
        )
        {
            await app.AnswerAsync(org, review.Id, item, Position.Addressed, "Agreed by the team.");
        }
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Changed."
        );
        await app.CreateActionAsync(org, review.Id, "Ask the families' forum");
        await app.StartRoundAsync(org, review.Id, "stage.3");
        return org;
    }
}
