using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>Records that the pages under test need, written through the application's own services.</summary>
public static class Seeding
{
    public const string CustomEditionTitle = "Northshire's PEISC questions";

    /// <summary>The built-in edition's file under an id of its own, as an organisation would upload it.</summary>
    public static string CustomEditionJson(string id = "northshire-peisc")
    {
        var root = JsonNode.Parse(File.ReadAllText(RepoFiles.EditionPath))!.AsObject();
        root["id"] = id;
        root["title"] = CustomEditionTitle;
        root["version"] = "2026.1";
        return root.ToJsonString();
    }

    /// <summary>Stores an uploaded edition as the upload page does, re-serialised from the checked model.</summary>
    public static async Task<Guid> UploadEditionAsync(
        this TestApp app,
        TestOrganisation organisation
    )
    {
        var result = FrameworkLoader.Load(CustomEditionJson());
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var edition = result.Edition!;
        var json = JsonSerializer.Serialize(edition, FrameworkLoader.JsonOptions);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UseOrganisation(organisation.Id);
        var row = new OrganisationEdition
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            EditionId = edition.Id,
            Title = edition.Title,
            Version = edition.Version,
            Json = json,
            UploadedByUserId = organisation.Owner.Id,
            UploadedAt = DateTime.UtcNow,
        };
        db.OrganisationEditions.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    /// <summary>An invitation from the organisation's owner; returns the link's path (/invitations/&lt;token&gt;).</summary>
    public static async Task<string> InviteAsync(
        this TestApp app,
        TestOrganisation organisation,
        string email,
        MemberRole role
    )
    {
        await using var scope = app.Services.CreateAsyncScope();
        var member = scope.ServiceProvider.GetRequiredService<CurrentMember>();
        member.UserId = organisation.Owner.Id;
        member.OrganisationId = organisation.Id;
        member.OrganisationName = organisation.Name;
        member.DisplayName = organisation.Owner.Name;
        member.Role = MemberRole.Owner;
        var link = await scope
            .ServiceProvider.GetRequiredService<MembershipService>()
            .InviteAsync(email, role, "http://localhost", CancellationToken.None);
        return new Uri(link).AbsolutePath;
    }

    public static Task<int> MembershipCountAsync(this TestApp app, Guid organisationId) =>
        app.QueryAsync(db => db.Memberships.CountAsync(), organisationId);
}
