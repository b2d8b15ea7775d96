using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class OrganisationEditionConfiguration : IEntityTypeConfiguration<OrganisationEdition>
{
    public void Configure(EntityTypeBuilder<OrganisationEdition> builder)
    {
        builder.Property(e => e.EditionId).HasMaxLength(64);
        builder.Property(e => e.Title).HasMaxLength(300);
        builder.Property(e => e.Version).HasMaxLength(100);
        builder.HasIndex(e => new { e.OrganisationId, e.EditionId }).IsUnique();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(e => e.OrganisationId);
    }
}
