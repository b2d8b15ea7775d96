using System.Reflection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;

namespace Peisc.Web.Data;

/// <summary>
/// The one DbContext. Each provider has a subclass only so that each keeps its own
/// migrations set (see docs/adr/0002-database-providers.md). Instances are pooled: each request
/// rents one through <see cref="DataSetup"/>, which hands it the request's member first.
/// </summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityUserContext<AppUser, Guid>(options),
        IDataProtectionKeyContext
{
    private CurrentMember member = new();
    private Guid? _organisationOverride;

    /// <summary>Called on every rent from the pool: whose request this context now serves.</summary>
    public void ActFor(CurrentMember requester)
    {
        member = requester;
        _organisationOverride = null;
    }

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<OrganisationEdition> OrganisationEditions => Set<OrganisationEdition>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<Round> Rounds => Set<Round>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<AnswerChange> AnswerChanges => Set<AnswerChange>();
    public DbSet<ReviewAction> Actions => Set<ReviewAction>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    // The keys that protect cookies and tokens, shared by every app instance using this database.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Reflection> Reflections => Set<Reflection>();
    public DbSet<IndividualView> IndividualViews => Set<IndividualView>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<CommentThread> CommentThreads => Set<CommentThread>();
    public DbSet<VoiceInvitation> VoiceInvitations => Set<VoiceInvitation>();
    public DbSet<VoiceContribution> VoiceContributions => Set<VoiceContribution>();
    public DbSet<VoiceResponse> VoiceResponses => Set<VoiceResponse>();
    public DbSet<PlainLanguageText> PlainLanguageTexts => Set<PlainLanguageText>();
    public DbSet<Workshops.WorkshopSession> WorkshopSessions => Set<Workshops.WorkshopSession>();
    public DbSet<Workshops.WorkshopParticipant> WorkshopParticipants =>
        Set<Workshops.WorkshopParticipant>();
    public DbSet<Workshops.WorkshopSubmission> WorkshopSubmissions =>
        Set<Workshops.WorkshopSubmission>();

    // Read on every query: the tenant filter below compares against this value.
    public Guid? CurrentOrganisationId => _organisationOverride ?? member.OrganisationId;

    /// <summary>
    /// Acts for one organisation before anyone is signed in to it: creating it at set-up,
    /// or joining it through an invitation.
    /// </summary>
    public void UseOrganisation(Guid organisationId) => _organisationOverride = organisationId;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        var apply = typeof(AppDbContext).GetMethod(
            nameof(ApplyTenantFilter),
            BindingFlags.NonPublic | BindingFlags.Instance
        )!;
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (typeof(IOrganisationOwned).IsAssignableFrom(entity.ClrType))
            {
                apply.MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
            }
        }
        builder
            .Entity<AuditEvent>()
            .HasQueryFilter(e =>
                e.OrganisationId != null && e.OrganisationId == CurrentOrganisationId
            );
    }

    private void ApplyTenantFilter<T>(ModelBuilder builder)
        where T : class, IOrganisationOwned =>
        builder.Entity<T>().HasQueryFilter(e => e.OrganisationId == CurrentOrganisationId);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseForeignWrites();
        PrepareAuditRows();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(
        bool acceptAllChangesOnSuccess,
        CancellationToken cancellationToken = default
    )
    {
        RefuseForeignWrites();
        PrepareAuditRows();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // trust.md R2: audit rows are only ever added (the database's triggers refuse the rest too);
    // each new row gets its salt and the digest of its personal fields, which the chain covers.
    private void PrepareAuditRows()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException(
                    "Refused to change or delete an audit row: the audit trail is append-only."
                );
            }
            if (entry.State == EntityState.Added)
            {
                var row = entry.Entity;
                row.Salt = AuditChain.NewSalt();
                row.ContentDigest = AuditChain.ContentDigest(row);
                row.Redacted = false;
                row.Sequence = null;
                row.PreviousHash = null;
                row.Hash = null;
            }
        }
    }

    // The query filter stops reads; this stops a write that names another organisation.
    private void RefuseForeignWrites()
    {
        foreach (var entry in ChangeTracker.Entries<IOrganisationOwned>())
        {
            if (
                entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity.OrganisationId != CurrentOrganisationId
            )
            {
                throw new InvalidOperationException(
                    $"Refused to save a {entry.Metadata.ClrType.Name} that belongs to another organisation."
                );
            }
        }
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options)
    : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options)
    : AppDbContext(options);
