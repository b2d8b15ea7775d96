using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Accounts;
using Peisc.Web.Data;

namespace Peisc.Tests.Infrastructure;

public sealed record TestUser(
    Guid Id,
    string Email,
    string Name,
    MemberRole Role,
    Guid MembershipId
);

public sealed record TestOrganisation(
    Guid Id,
    string Name,
    IReadOnlyDictionary<MemberRole, TestUser> Members
)
{
    public TestUser Owner => Members[MemberRole.Owner];
    public TestUser this[MemberRole role] => Members[role];
}

/// <summary>Test-data builders that write through the application's own services.</summary>
public static class TestData
{
    private static readonly MemberRole[] AllRoles =
    [
        MemberRole.Owner,
        MemberRole.Facilitator,
        MemberRole.Contributor,
        MemberRole.Viewer,
    ];

    public static async Task<TestOrganisation> CreateOrganisationAsync(
        this TestApp app,
        string? name = null,
        Action<Organisation>? configure = null,
        params MemberRole[] roles
    )
    {
        name ??= "Org " + Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            Name = name,
            CreatedAt = DateTime.UtcNow,
        };
        configure?.Invoke(organisation);
        db.UseOrganisation(organisation.Id);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();

        var members = new Dictionary<MemberRole, TestUser>();
        foreach (var role in roles.Length == 0 ? AllRoles : roles)
        {
            members[role] = await app.AddMemberAsync(organisation.Id, role);
        }
        return new TestOrganisation(organisation.Id, name, members);
    }

    public static async Task<TestUser> AddMemberAsync(
        this TestApp app,
        Guid organisationId,
        MemberRole role,
        string? email = null,
        string? name = null
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        email ??= $"{role.ToString().ToLowerInvariant()}.{Guid.NewGuid():N}@example.org";
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser
            {
                Id = Guid.NewGuid(),
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = name ?? $"{role} {email[..6]}",
                CreatedAt = DateTime.UtcNow,
                LastOrganisationId = organisationId,
            };
            var result = await users.CreateAsync(user, TestApp.Password);
            Assert.True(
                result.Succeeded,
                string.Join("; ", result.Errors.Select(e => e.Description))
            );
        }
        db.UseOrganisation(organisationId);
        var membership = new Membership
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            UserId = user.Id,
            Role = role,
            CreatedAt = DateTime.UtcNow,
        };
        db.Memberships.Add(membership);
        await db.SaveChangesAsync();
        return new TestUser(user.Id, email, user.DisplayName, role, membership.Id);
    }

    /// <summary>Signs in through the sign-in page, as a person would.</summary>
    public static async Task<HttpClient> SignedInAsync(this TestApp app, TestUser user)
    {
        var client = app.Browser();
        await client.SignInAsync(user.Email);
        return client;
    }

    public static async Task SignInAsync(
        this HttpClient client,
        string email,
        string password = TestApp.Password
    )
    {
        var page = await client.GetPageAsync("/account/sign-in");
        var response = await client.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }
        );
        Assert.True(
            response.StatusCode == HttpStatusCode.Redirect,
            $"Signing in as {email} failed: {(int)response.StatusCode}\n{string.Join("; ", (await Html.ToPageAsync(response, page.Url)).ErrorSummary)}"
        );
    }

    /// <summary>Reads the database as the application would for one organisation (or none).</summary>
    public static async Task<T> QueryAsync<T>(
        this TestApp app,
        Func<AppDbContext, Task<T>> query,
        Guid? organisationId = null
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (organisationId is { } id)
        {
            db.UseOrganisation(id);
        }
        return await query(db);
    }

    public static Task<List<AuditEvent>> AuditAsync(
        this TestApp app,
        Guid? organisationId = null
    ) =>
        app.QueryAsync(db =>
            db.AuditEvents.IgnoreQueryFilters()
                .Where(e => organisationId == null || e.OrganisationId == organisationId)
                .OrderBy(e => e.Id)
                .ToListAsync()
        );
}
