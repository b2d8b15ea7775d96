using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.EntityType).HasMaxLength(100);
        builder.Property(e => e.EntityId).HasMaxLength(100);
        builder.Property(e => e.Detail).HasMaxLength(2000);
        builder.Property(e => e.CorrelationId).HasMaxLength(100);
        builder.Property(e => e.Salt).HasMaxLength(64);
        builder.Property(e => e.ContentDigest).HasMaxLength(64);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => new { e.OrganisationId, e.OccurredAt });
        // One row per place in the chain; the sealer finds its tail and its unsealed rows (null) through it.
        builder.HasIndex(e => e.Sequence).IsUnique();
    }
}
