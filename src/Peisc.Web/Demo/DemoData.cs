using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Web.Demo;

public sealed class DemoOptions
{
    /// <summary>Seeds a demo organisation with a member in each role, so a newcomer can explore at once.</summary>
    public bool Enabled { get; set; }

    public string Password { get; set; } = "demo-password-2026";
}

/// <summary>The demo switch: Demo:Enabled=true. Never turn it on for real data.</summary>
public static class DemoData
{
    public const string OrganisationName = "Northshire Council (demo)";
    public const string EmailDomain = "demo.peisc.example";

    public static readonly (string Name, string Local, MemberRole Role)[] People =
    [
        ("Olu Owner", "owner", MemberRole.Owner),
        ("Fran Facilitator", "facilitator", MemberRole.Facilitator),
        ("Chris Contributor", "contributor", MemberRole.Contributor),
        ("Vic Viewer", "viewer", MemberRole.Viewer),
    ];

    public static IServiceCollection AddPeiscDemoData(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        if (configuration.GetValue<bool>("Demo:Enabled"))
        {
            // Demo owners sign in with a password alone, so that exploring needs no phone.
            services.PostConfigure<SecurityOptions>(o => o.RequireTwoFactorForOwners = false);
        }
        return services;
    }

    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Demo").Get<DemoOptions>() ?? new();
        if (!options.Enabled)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync($"owner@{EmailDomain}") is not null)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            Name = OrganisationName,
            CreatedAt = now,
        };
        db.UseOrganisation(organisation.Id);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();

        foreach (var (name, local, role) in People)
        {
            var user = new AppUser
            {
                Id = Guid.NewGuid(),
                UserName = $"{local}@{EmailDomain}",
                Email = $"{local}@{EmailDomain}",
                EmailConfirmed = true,
                DisplayName = name,
                CreatedAt = now,
                LastOrganisationId = organisation.Id,
            };
            var result = await users.CreateAsync(user, options.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    "Demo data: " + string.Join("; ", result.Errors.Select(e => e.Description))
                );
            }
            db.Memberships.Add(
                new Membership
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = organisation.Id,
                    UserId = user.Id,
                    Role = role,
                    CreatedAt = now,
                }
            );
        }
        await db.SaveChangesAsync();
        app.Logger.LogInformation(
            "Demo data: {Organisation} with owner@, facilitator@, contributor@ and viewer@{Domain}",
            OrganisationName,
            EmailDomain
        );
    }
}
