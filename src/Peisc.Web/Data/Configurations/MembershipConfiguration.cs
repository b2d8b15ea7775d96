using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public const int MaxSuspendedReasonLength = 500;

    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.SuspendedReason).HasMaxLength(MaxSuspendedReasonLength);
        builder.HasIndex(m => new { m.OrganisationId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId);
        builder.HasOne(m => m.Organisation).WithMany().HasForeignKey(m => m.OrganisationId);
    }
}
