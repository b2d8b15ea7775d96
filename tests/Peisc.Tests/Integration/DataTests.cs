using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

public sealed class DataTests
{
    [Theory, BothDatabases]
    public async Task Migrations_ForEachProvider_CoverTheCurrentModel(Db db)
    {
        await using var app = new TestApp(db);
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.False(
            context.Database.HasPendingModelChanges(),
            $"The {db} migrations lack a migration for the current model: run dotnet ef migrations add for {context.GetType().Name}."
        );
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Sqlite_AppConnections_UseWalAndFullSynchronous()
    {
        await using var app = new TestApp(Db.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal("2", await ScalarAsync(connection, "PRAGMA synchronous;"));
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "peisc.db")));
    }

    [Fact]
    public void Model_EveryOrganisationOwnedEntity_HasATenantFilter()
    {
        using var app = new TestApp(Db.Sqlite);
        using var scope = app.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var owned = context
            .Model.GetEntityTypes()
            .Where(e => typeof(IOrganisationOwned).IsAssignableFrom(e.ClrType))
            .ToList();
        Assert.NotEmpty(owned);
        Assert.All(owned, e => Assert.NotEmpty(e.GetDeclaredQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task Save_RecordOfAnotherOrganisation_IsRefused(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        var b = await app.CreateOrganisationAsync(roles: [MemberRole.Owner]);
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        context.UseOrganisation(a.Id);

        context.Memberships.Add(
            new Membership
            {
                Id = Guid.NewGuid(),
                OrganisationId = b.Id,
                UserId = a.Owner.Id,
                Role = MemberRole.Owner,
            }
        );

        await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        Assert.Equal(1, await app.QueryAsync(d => d.Memberships.CountAsync(), b.Id));
    }

    // trust.md A3: bypassing the tenant filter is allowed only where the code says why, in these files.
    [Fact]
    public void IgnoreQueryFilters_IsUsedOnlyOnTheAllowlist()
    {
        string[] allowed =
        [
            // Sign-in checks: they run before the request has an organisation, and name the
            // session's or token's own organisation in the join.
            "Accounts/AccessTokenAuthentication.cs",
            // The audit chain is one chain across organisations; a person's data spans organisations.
            "Accounts/AuditChain.cs",
            "Accounts/PersonalData.cs",
            "Accounts/SessionCookieEvents.cs",
            "Accounts/MembershipService.cs",
            // A lived-experience link opens with no account; it then acts for the link's organisation only.
            "LivedExperience/VoiceService.cs",
            "Pages/Organisation/Index.cshtml.cs",
            "Pages/Organisation/Switch.cshtml.cs",
            // A join code is typed before anyone knows the session's organisation.
            "Workshops/WorkshopService.cs",
        ];
        var source = Path.Combine(RepoFiles.Root, "src", "Peisc.Web");
        var users = Directory
            .GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains(
                    $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
                    StringComparison.Ordinal
                )
            )
            .Where(f =>
                File.ReadAllText(f).Contains("IgnoreQueryFilters", StringComparison.Ordinal)
            )
            .Select(f => Path.GetRelativePath(source, f).Replace('\\', '/'))
            .Order()
            .ToList();

        Assert.Equal(allowed.Order(), users);
    }

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(
            await command.ExecuteScalarAsync(),
            System.Globalization.CultureInfo.InvariantCulture
        );
    }
}
