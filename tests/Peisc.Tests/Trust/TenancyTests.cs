using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;
using Xunit.Abstractions;

namespace Peisc.Tests.Trust;

/// <summary>trust.md A3 (tenant filter and refused foreign saves, for every kind of record) and A5 (extra fields never change what they name).</summary>
public sealed class TenancyTests(ITestOutputHelper output)
{
    // Tables with an organisation column that are not filtered by the signed-in organisation, and why.
    private static readonly Dictionary<Type, string> UnfilteredWithOrganisation = new()
    {
        [typeof(AccessToken)] =
            "found by its hash before any organisation is known; the tokens page names the user and organisation in every query",
        [typeof(UserSession)] =
            "found by its id at sign-in, before any organisation is known; it names the organisation it is in",
        [typeof(AuditEvent)] = "has its own filter: the signed-in organisation's rows only",
    };

    [Fact]
    public void Model_EveryTableWithAnOrganisation_IsFilteredOrOnTheAllowlist()
    {
        using var app = new TestApp(Db.Sqlite);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var gaps = db
            .Model.GetEntityTypes()
            .Where(e => e.FindProperty("OrganisationId") is not null)
            .Where(e =>
                !typeof(IOrganisationOwned).IsAssignableFrom(e.ClrType)
                && !UnfilteredWithOrganisation.ContainsKey(e.ClrType)
            )
            .Select(e => e.ClrType.Name)
            .ToList();
        var unfiltered = db
            .Model.GetEntityTypes()
            .Where(e =>
                typeof(IOrganisationOwned).IsAssignableFrom(e.ClrType)
                || e.ClrType == typeof(AuditEvent)
            )
            .Where(e => e.GetDeclaredQueryFilters().Count == 0)
            .Select(e => e.ClrType.Name)
            .ToList();

        Assert.True(
            gaps.Count == 0,
            "Organisation column without a tenant filter: " + string.Join(", ", gaps)
        );
        Assert.True(
            unfiltered.Count == 0,
            "Without a query filter: " + string.Join(", ", unfiltered)
        );
    }

    [Theory, BothDatabases]
    public async Task EveryKindOfRecord_OfAnotherOrganisation_CannotBeReadAddedChangedOrDeleted(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var b = await TrustData.SeedAsync(app, "Beta");
        var before = await TrustData.SnapshotAsync(app, b.Organisation.Id);
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var kinds = context
            .Model.GetEntityTypes()
            .Where(e => typeof(IOrganisationOwned).IsAssignableFrom(e.ClrType))
            .Select(e => e.ClrType)
            .ToList();
        var method = typeof(TenancyTests).GetMethod(
            nameof(TryForeignWritesAsync),
            BindingFlags.NonPublic | BindingFlags.Static
        )!;

        var failures = new List<string>();
        foreach (var kind in kinds)
        {
            failures.AddRange(
                await (Task<List<string>>)
                    method
                        .MakeGenericMethod(kind)
                        .Invoke(null, [app, a.Organisation.Id, b.Organisation.Id])!
            );
        }

        output.WriteLine(
            $"{db}: {kinds.Count} kinds of record, each read, added, changed and deleted across organisations"
        );
        Assert.True(kinds.Count >= 19, $"Only {kinds.Count} organisation-owned kinds of record.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await TrustData.SnapshotAsync(app, b.Organisation.Id));
    }

    private static async Task<List<string>> TryForeignWritesAsync<T>(TestApp app, Guid a, Guid b)
        where T : class, IOrganisationOwned
    {
        var failures = new List<string>();
        var name = typeof(T).Name;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UseOrganisation(a);
        var row = await db.Set<T>()
            .IgnoreQueryFilters()
            .AsNoTracking()
            .FirstOrDefaultAsync(r => r.OrganisationId == b);
        if (row is null)
        {
            return [$"{name}: the set-up seeds no row of this kind for B: add one to TrustData"];
        }
        if (await db.Set<T>().AnyAsync(r => r.OrganisationId == b))
        {
            failures.Add($"{name}: A reads B's rows");
        }
        foreach (
            var (verb, write) in new (string, Action)[]
            {
                ("change", () => db.Update(row)),
                ("delete", () => db.Remove(row)),
                (
                    "add",
                    () =>
                    {
                        var key = db
                            .Model.FindEntityType(typeof(T))!
                            .FindPrimaryKey()!
                            .Properties[0]
                            .PropertyInfo!;
                        key.SetValue(
                            row,
                            key.PropertyType == typeof(Guid)
                                ? Guid.NewGuid()
                                : Activator.CreateInstance(key.PropertyType)
                        );
                        db.Add(row);
                    }
                ),
            }
        )
        {
            write();
            try
            {
                await db.SaveChangesAsync();
                failures.Add($"{name}: acting for A, a {verb} of a row naming B was saved");
            }
            catch (InvalidOperationException)
            {
                // Refused, as it should be.
            }
            db.ChangeTracker.Clear();
        }
        return failures;
    }

    // Bound inputs that may name one of these only for the reason given.
    private static readonly Dictionary<string, string> AllowedBoundNames = new()
    {
        ["SwitchModel.OrganisationId"] =
            "the organisation to switch to, checked against the person's own memberships",
    };

    private static readonly string[] ProtectedNames =
    [
        "OrganisationId",
        "CreatedByUserId",
        "UploadedByUserId",
        "StartedByUserId",
        "InvitedByUserId",
        "AuthorUserId",
        "UpdatedByUserId",
        "ChangedByUserId",
        "UserId",
        "TokenHash",
    ];

    [Fact]
    public void EveryFormAndApiWrite_BindsInputModels_NeverEntitiesOrOwnershipFields()
    {
        using var app = new TestApp(Db.Sqlite);
        using var scope = app.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<AppDbContext>().Model;
        var entities = model.GetEntityTypes().Select(e => e.ClrType).ToHashSet();
        var bound = new List<(string Where, Type Type, string Name)>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page)
            {
                var pageType = page.HandlerTypeInfo.AsType();
                bound.AddRange(
                    pageType
                        .GetProperties()
                        .Where(p =>
                            p.GetCustomAttribute<BindPropertyAttribute>() is not null
                            || pageType.GetCustomAttribute<BindPropertiesAttribute>() is not null
                        )
                        .Select(p => ($"{pageType.Name}.{p.Name}", p.PropertyType, p.Name))
                );
                bound.AddRange(
                    page.HandlerMethods.SelectMany(h => h.Parameters)
                        .Select(p => ($"{pageType.Name}({p.Name})", p.ParameterType, p.Name))
                );
            }
            else if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
            {
                bound.AddRange(
                    handler
                        .GetParameters()
                        .Select(p =>
                            ($"{endpoint.DisplayName}({p.Name})", p.ParameterType, p.Name!)
                        )
                );
            }
        }
        Assert.True(bound.Count > 80, $"Only {bound.Count} bound inputs found.");

        var failures = new List<string>();
        var seen = new HashSet<Type>();
        void Check(string where, Type type, string name, int depth)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (
                type.IsGenericType
                && type.GetGenericArguments() is [var element]
                && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            )
            {
                type = element;
            }
            if (entities.Contains(type))
            {
                failures.Add($"{where} binds the entity {type.Name}");
            }
            if (ProtectedNames.Contains(name) && !AllowedBoundNames.ContainsKey(where))
            {
                failures.Add($"{where} binds {name}");
            }
            if (
                depth < 3
                && type.Namespace?.StartsWith("Peisc", StringComparison.Ordinal) == true
                && type.IsClass
                && seen.Add(type)
            )
            {
                foreach (
                    var property in type.GetProperties()
                        .Where(p =>
                            p.CanWrite
                            || type.GetConstructors().Any(c => c.GetParameters().Length > 0)
                        )
                )
                {
                    Check(
                        $"{where}.{property.Name}",
                        property.PropertyType,
                        property.Name,
                        depth + 1
                    );
                }
            }
        }
        // Services handed to a handler are not bound from the request.
        var services = app.Services.GetRequiredService<IServiceProviderIsService>();
        foreach (var (where, type, name) in bound.Where(b => !services.IsService(b.Type)))
        {
            Check(where, type, name, 0);
        }
        output.WriteLine($"{bound.Count} bound inputs checked, {seen.Count} input types");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }
}

/// <summary>trust.md A5, observed: every write, sent with extra fields naming another organisation, another person, a role and a version.</summary>
public sealed class ExtraFieldsTests(ITestOutputHelper output)
{
    private static readonly string[] Kept = ["OrganisationId", "UserId", "AuthorUserId", "Role"];

    [Theory, BothDatabases]
    public async Task EveryWrite_WithExtraFields_NeverChangesOwnershipRoleOrVersion(Db db)
    {
        await using var app = new TestApp(db);
        var a = await TrustData.SeedAsync(app, "Alpha");
        var b = await TrustData.SeedAsync(app, "Beta");
        var beforeB = await TrustData.SnapshotAsync(app, b.Organisation.Id);
        var owner = await app.SignedInAsync(a.Organisation.Owner);
        var token = (await owner.GetPageAsync("/account/notifications")).AntiforgeryToken;
        var api = await app.ApiClientAsync(a.Organisation, MemberRole.Owner);
        var stranger = b.Organisation.Owner.Id.ToString();
        var calls = TrustEndpoints
            .Discover(app)
            .Where(c =>
                c.ChangesState
                && !AccessMatrixTests.NotAChange.ContainsKey(c.Key)
                && c.Pattern != "/account/sign-out"
            )
            .ToList();
        var extra = new Dictionary<string, string>();
        foreach (var prefix in new[] { "", "Input." })
        {
            extra[prefix + "OrganisationId"] = b.Organisation.Id.ToString();
            extra[prefix + "Id"] = Guid.NewGuid().ToString();
            extra[prefix + "CreatedByUserId"] = stranger;
            extra[prefix + "UserId"] = stranger;
            extra[prefix + "OwnerUserId"] = stranger;
            extra[prefix + "UploadedByUserId"] = stranger;
            extra[prefix + "Version"] = "999";
        }
        extra["Input.Role"] = "Owner";

        var failures = new List<string>();
        var before = await ProtectedAsync(app);
        foreach (var call in calls)
        {
            var url =
                TrustEndpoints.Fill(call.Pattern, kind => TrustEndpoints.IdOf(a, kind), a)
                + TrustEndpoints.Query(call, kind => TrustEndpoints.IdOf(a, kind));
            var body = call.IsApi
                ? TrustEndpoints.Body(
                    call,
                    null,
                    extra
                        .Where(e =>
                            !e.Key.StartsWith("Input.", StringComparison.Ordinal)
                            && e.Key != "Version"
                        )
                        .ToDictionary(
                            e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..],
                            e => e.Value
                        )
                )
                : TrustEndpoints.Body(call, token, extra);
            var response = await (call.IsApi ? api : owner).SendAsync(
                TrustEndpoints.Request(call.Verb, url, body)
            );
            Assert.True((int)response.StatusCode < 500, $"{call.Key}: {(int)response.StatusCode}");
            var now = await ProtectedAsync(app);
            foreach (var (row, values) in now)
            {
                if (!before.TryGetValue(row, out var was))
                {
                    // A new row belongs to A, whatever organisation the request named.
                    if (
                        !row.StartsWith("AuditEvents", StringComparison.Ordinal)
                        && !string.Equals(
                            values["OrganisationId"],
                            a.Organisation.Id.ToString(),
                            StringComparison.OrdinalIgnoreCase
                        )
                    )
                    {
                        failures.Add(
                            $"{call.Key}: new {row} in organisation {values["OrganisationId"]}"
                        );
                    }
                    was = values;
                }
                foreach (var (column, value) in values)
                {
                    // Who last changed a row may become the person acting, and a version may go up; nothing else moves.
                    var allowed =
                        value == was[column]
                        || (
                            column.EndsWith("ByUserId", StringComparison.Ordinal)
                            && string.Equals(
                                value,
                                a.Organisation.Owner.Id.ToString(),
                                StringComparison.OrdinalIgnoreCase
                            )
                        )
                        || (column == "Version" && value != "999");
                    if (!allowed || (column == "Version" && value == "999"))
                    {
                        failures.Add($"{call.Key}: {row}.{column} {was[column]} -> {value}");
                    }
                }
            }
            before = now;
        }
        output.WriteLine($"{db}: {calls.Count} writes sent with {extra.Count} extra fields each");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(beforeB, await TrustData.SnapshotAsync(app, b.Organisation.Id));
    }

    // For every row with an organisation: its organisation, the people it names, its role and version.
    private static Task<Dictionary<string, Dictionary<string, string>>> ProtectedAsync(
        TestApp app
    ) =>
        app.QueryAsync(async d =>
        {
            var rows = new Dictionary<string, Dictionary<string, string>>();
            var connection = d.Database.GetDbConnection();
            await d.Database.OpenConnectionAsync();
            foreach (
                var entity in d
                    .Model.GetEntityTypes()
                    .Where(e => e.FindProperty("OrganisationId") is not null)
            )
            {
                var table = entity.GetTableName()!;
                var columns = entity
                    .GetProperties()
                    .Select(p => p.GetColumnName())
                    .Where(c =>
                        Kept.Contains(c)
                        || c.EndsWith("ByUserId", StringComparison.Ordinal)
                        || c == "Version"
                    )
                    .ToList();
                await using var command = connection.CreateCommand();
                // Table and column names come from the EF model.
                command.CommandText =
                    $"SELECT \"Id\", {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var values = columns
                        .Select(
                            (c, i) =>
                                (
                                    c,
                                    reader.IsDBNull(i + 1)
                                        ? ""
                                        : Convert.ToString(
                                            reader.GetValue(i + 1),
                                            System.Globalization.CultureInfo.InvariantCulture
                                        )!
                                )
                        )
                        .ToDictionary(v => v.c, v => v.Item2);
                    rows[$"{table}:{reader.GetValue(0)}"] = values;
                }
            }
            return rows;
        });
}
