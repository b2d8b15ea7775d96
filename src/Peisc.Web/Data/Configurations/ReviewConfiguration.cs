using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> builder)
    {
        builder.Property(r => r.Title).HasMaxLength(ReviewLimits.Title);
        builder.Property(r => r.Innovation).HasMaxLength(ReviewLimits.LongText);
        builder.Property(r => r.Partners).HasMaxLength(ReviewLimits.Partners);
        builder.Property(r => r.ServiceArea).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.SituationId).HasMaxLength(64);
        builder.Property(r => r.EditionId).HasMaxLength(64);
        builder.Property(r => r.CurrentStageId).HasMaxLength(64);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(r => r.OrganisationId);
        // The review list filters by organisation and archived state, and sorts by these.
        builder.HasIndex(r => new
        {
            r.OrganisationId,
            r.ArchivedAt,
            r.UpdatedAt,
        });
        builder.HasIndex(r => new
        {
            r.OrganisationId,
            r.ArchivedAt,
            r.Title,
        });
        builder.HasIndex(r => new
        {
            r.OrganisationId,
            r.ArchivedAt,
            r.ConcernCount,
        });
    }
}

public sealed class RoundConfiguration : IEntityTypeConfiguration<Round>
{
    public void Configure(EntityTypeBuilder<Round> builder)
    {
        builder.Property(r => r.StageId).HasMaxLength(64);
        builder.HasIndex(r => new { r.ReviewId, r.Number }).IsUnique();
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(r => r.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> builder)
    {
        builder.Property(a => a.CellId).HasMaxLength(100);
        builder.Property(a => a.ItemId).HasMaxLength(100);
        builder.Property(a => a.Position).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.NotApplicableReason).HasMaxLength(ReviewLimits.ShortText);
        builder.Property(a => a.Reasoning).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.Evidence).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.Dissent).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.UpdatedByName).HasMaxLength(200);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.RoundId, a.ItemId }).IsUnique();
        builder.HasIndex(a => new { a.ReviewId, a.RoundId });
        builder
            .HasOne<Round>()
            .WithMany()
            .HasForeignKey(a => a.RoundId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AnswerChangeConfiguration : IEntityTypeConfiguration<AnswerChange>
{
    public void Configure(EntityTypeBuilder<AnswerChange> builder)
    {
        builder.Property(a => a.ItemId).HasMaxLength(100);
        builder.Property(a => a.Position).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.NotApplicableReason).HasMaxLength(ReviewLimits.ShortText);
        builder.Property(a => a.Reasoning).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.Evidence).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.Dissent).HasMaxLength(ReviewLimits.LongText);
        builder.Property(a => a.ChangedByName).HasMaxLength(200);
        builder.HasIndex(a => new
        {
            a.ReviewId,
            a.ItemId,
            a.Id,
        });
        builder
            .HasOne<Answer>()
            .WithMany()
            .HasForeignKey(a => a.AnswerId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ReviewActionConfiguration : IEntityTypeConfiguration<ReviewAction>
{
    public void Configure(EntityTypeBuilder<ReviewAction> builder)
    {
        builder.ToTable("Actions");
        builder.Property(a => a.Title).HasMaxLength(ReviewLimits.ShortText);
        builder.Property(a => a.OwnerName).HasMaxLength(200);
        builder.Property(a => a.ItemIds).HasMaxLength(4000);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new
        {
            a.ReviewId,
            a.Status,
            a.DueDate,
        });
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(a => a.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.Prefix).HasMaxLength(20);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId);
    }
}
