using Microsoft.AspNetCore.Identity;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Operations;

/// <summary>
/// Commands an operator runs against the configured database instead of starting the web server:
/// <c>dotnet run --project src/Peisc.Web -- audit verify</c> or <c>-- people erase someone@example.org</c>.
/// Configuration options (<c>--Database:Provider=Postgres</c>) may follow, as for the server.
/// </summary>
public static class OperatorCommands
{
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && args[0] is "audit" or "people";

    public static async Task<int> RunAsync(
        IServiceProvider services,
        string[] args,
        TextWriter output
    )
    {
        var words = args.Where(a => !a.StartsWith('-')).ToArray();
        await using var scope = services.CreateAsyncScope();
        return words switch
        {
            ["audit", "verify"] => await VerifyAuditAsync(scope.ServiceProvider, output),
            ["people", "erase", var email] => await ErasePersonAsync(
                scope.ServiceProvider,
                email,
                output
            ),
            _ => Usage(output),
        };
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services, TextWriter output)
    {
        // Rows written since the last seal join the chain first, so the whole trail is checked.
        await services.GetRequiredService<AuditSealer>().SealAsync();
        var result = await AuditChain.VerifyAsync(services.GetRequiredService<AppDbContext>());
        if (result.Break is { } broken)
        {
            await output.WriteLineAsync($"Audit trail broken at {broken}");
            await output.WriteLineAsync($"{result.RowsChecked} rows before it are intact.");
            return 1;
        }
        await output.WriteLineAsync($"Audit trail intact: {result.RowsChecked} rows");
        return 0;
    }

    private static async Task<int> ErasePersonAsync(
        IServiceProvider services,
        string email,
        TextWriter output
    )
    {
        var user = await services
            .GetRequiredService<UserManager<AppUser>>()
            .FindByEmailAsync(email);
        if (user is null)
        {
            await output.WriteLineAsync($"No account has the email {email}: nothing was erased.");
            return 1;
        }
        var redacted = await services
            .GetRequiredService<PersonalData>()
            .EraseAsync(user, "Operator (people erase)");
        await output.WriteLineAsync(
            $"Erased the account for {email}: its sessions, tokens, memberships and individual reflections are deleted, "
                + $"team records it wrote now say \"{PersonalData.FormerMember}\", and {redacted} audit rows were redacted."
        );
        return 0;
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("Commands:");
        output.WriteLine(
            "  audit verify            check the audit trail's hash chain; exit 1 at the first broken row"
        );
        output.WriteLine(
            "  people erase <email>    erase a person's account and personal data (UK GDPR)"
        );
        return 2;
    }
}
