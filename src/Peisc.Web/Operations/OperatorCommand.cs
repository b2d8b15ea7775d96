using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Operations;

/// <summary>
/// Commands for operators, run instead of the web server: <c>backup FILE</c>, <c>restore FILE</c>,
/// <c>retention purge</c>, <c>audit verify</c> and <c>people erase EMAIL</c> (docs/operations.md). Settings such as <c>--Database:Provider=Postgres</c>
/// still apply, so a command acts on the database the app is configured for.
/// </summary>
public sealed class OperatorCommand
{
    private const string Force = "--force";
    private static readonly string[] Names = ["backup", "restore", "retention", "audit", "people"];

    private OperatorCommand(
        string name,
        IReadOnlyList<string> arguments,
        bool force,
        string[] hostArguments
    )
    {
        Name = name;
        Arguments = arguments;
        IsForced = force;
        HostArguments = hostArguments;
    }

    public string Name { get; }
    public IReadOnlyList<string> Arguments { get; }
    public bool IsForced { get; }

    /// <summary>What is left for the host's configuration: <c>--Key=Value</c> or <c>--Key Value</c>.</summary>
    public string[] HostArguments { get; }

    /// <summary>The command named by the first argument, or null to serve the web app.</summary>
    public static OperatorCommand? Parse(string[] args)
    {
        if (args.Length == 0 || !Names.Contains(args[0], StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        var positional = new List<string>();
        var host = new List<string>();
        var force = false;
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (string.Equals(arg, Force, StringComparison.OrdinalIgnoreCase))
            {
                force = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                host.Add(arg);
                // "--Key Value": the value travels with its key.
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    host.Add(args[++i]);
                }
            }
            else
            {
                positional.Add(arg);
            }
        }
        return new OperatorCommand(args[0].ToLowerInvariant(), positional, force, [.. host]);
    }

    /// <summary>Runs the command against the built (not started) app; returns the process's exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider app, TextWriter output, TextWriter error)
    {
        try
        {
            return Name switch
            {
                "backup" => await BackupAsync(app, output),
                "restore" => await RestoreAsync(app, output),
                "audit" => await VerifyAuditAsync(app, output, error),
                "people" => await ErasePersonAsync(app, output, error),
                _ => await RetentionAsync(app, output, error),
            };
        }
        catch (OperatorException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private async Task<int> BackupAsync(IServiceProvider app, TextWriter output)
    {
        var file = OneFile("backup");
        var connectionString = SqliteConnectionString(app, "backup");
        var result = await SqliteBackup.BackupAsync(connectionString, file, IsForced);
        await output.WriteLineAsync(
            $"Backed up to {result.File}: {result.Bytes:N0} bytes, integrity_check {result.IntegrityCheck}, in {result.Elapsed.TotalMilliseconds:0} ms."
        );
        return 0;
    }

    private async Task<int> RestoreAsync(IServiceProvider app, TextWriter output)
    {
        var file = OneFile("restore");
        var connectionString = SqliteConnectionString(app, "restore");
        var result = await SqliteBackup.RestoreAsync(file, connectionString, IsForced);
        await output.WriteLineAsync(
            $"Restored {file} into {result.File}: integrity_check {result.IntegrityCheck}, in {result.Elapsed.TotalMilliseconds:0} ms. Start the app to use it."
        );
        return 0;
    }

    private async Task<int> RetentionAsync(
        IServiceProvider app,
        TextWriter output,
        TextWriter error
    )
    {
        if (Arguments is not ["purge"])
        {
            await error.WriteLineAsync("Usage: retention purge");
            return 2;
        }
        await using var scope = app.CreateAsyncScope();
        var result = await scope
            .ServiceProvider.GetRequiredService<RetentionPurge>()
            .PurgeAsync(RetentionPurge.ByCommand);
        foreach (var (kind, count) in result.Removed)
        {
            await output.WriteLineAsync($"{kind}: {count}");
        }
        await output.WriteLineAsync(
            $"Removed {result.Total} in all, in {result.Elapsed.TotalMilliseconds:0} ms; recorded in the audit trail."
        );
        return 0;
    }

    private async Task<int> VerifyAuditAsync(
        IServiceProvider app,
        TextWriter output,
        TextWriter error
    )
    {
        if (Arguments is not ["verify"])
        {
            await error.WriteLineAsync("Usage: audit verify");
            return 2;
        }
        await using var scope = app.CreateAsyncScope();
        // Rows written since the last seal join the chain first, so the whole trail is checked.
        await scope.ServiceProvider.GetRequiredService<AuditSealer>().SealAsync();
        var result = await AuditChain.VerifyAsync(
            scope.ServiceProvider.GetRequiredService<AppDbContext>()
        );
        if (result.Break is { } broken)
        {
            await output.WriteLineAsync($"Audit trail broken at {broken}");
            await output.WriteLineAsync($"{result.RowsChecked} rows before it are intact.");
            return 1;
        }
        await output.WriteLineAsync($"Audit trail intact: {result.RowsChecked} rows");
        return 0;
    }

    private async Task<int> ErasePersonAsync(
        IServiceProvider app,
        TextWriter output,
        TextWriter error
    )
    {
        if (Arguments is not ["erase", var email])
        {
            await error.WriteLineAsync("Usage: people erase EMAIL");
            return 2;
        }
        await using var scope = app.CreateAsyncScope();
        var user = await scope
            .ServiceProvider.GetRequiredService<UserManager<AppUser>>()
            .FindByEmailAsync(email);
        if (user is null)
        {
            await output.WriteLineAsync($"No account has the email {email}: nothing was erased.");
            return 1;
        }
        var redacted = await scope
            .ServiceProvider.GetRequiredService<PersonalData>()
            .EraseAsync(user, "Operator (people erase)");
        await output.WriteLineAsync(
            $"Erased the account for {email}: its sessions, tokens, memberships and individual reflections are deleted, "
                + $"team records it wrote now say \"{PersonalData.FormerMember}\", and {redacted} audit rows were redacted."
        );
        return 0;
    }

    private string OneFile(string verb) =>
        Arguments is [var file]
            ? file
            : throw new OperatorException($"Usage: {verb} FILE [--force]");

    // PostgreSQL has its own tools, which do this better than the app could (docs/operations.md).
    private static string SqliteConnectionString(IServiceProvider app, string verb)
    {
        var options = app.GetRequiredService<DatabaseOptions>();
        if (
            !string.Equals(
                options.Provider,
                DatabaseOptions.Sqlite,
                StringComparison.OrdinalIgnoreCase
            )
        )
        {
            throw new OperatorException(
                verb == "backup"
                    ? "On PostgreSQL, back up with pg_dump: pg_dump -Fc --file=peisc.dump \"dbname=peisc host=... user=...\" (see docs/operations.md)."
                    : "On PostgreSQL, restore with pg_restore: createdb peisc_restored && pg_restore --no-owner --exit-on-error -d peisc_restored peisc.dump (see docs/operations.md)."
            );
        }
        using var context = app.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>()
            .CreateDbContext();
        return context.Database.GetConnectionString()
            ?? throw new OperatorException("No SQLite connection string is configured.");
    }
}

/// <summary>A refusal or failure to tell the operator in plain words, without a stack trace.</summary>
public sealed class OperatorException : Exception
{
    public OperatorException() { }

    public OperatorException(string message)
        : base(message) { }

    public OperatorException(string message, Exception innerException)
        : base(message, innerException) { }
}
