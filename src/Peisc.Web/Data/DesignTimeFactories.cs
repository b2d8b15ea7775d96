using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Peisc.Web.Data;

// Used only by `dotnet ef migrations add`: each provider's context needs its own factory.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite("Data Source=design-time.db")
                .Options
        );
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<PostgresAppDbContext>()
                .UseNpgsql("Host=127.0.0.1;Database=peisc_design")
                .Options
        );
}
