using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class ReflectionConfiguration : IEntityTypeConfiguration<Reflection>
{
    public void Configure(EntityTypeBuilder<Reflection> builder)
    {
        builder.Property(r => r.CellId).HasMaxLength(100);
        builder.Property(r => r.OpenedByName).HasMaxLength(200);
        builder.Property(r => r.RevealedByName).HasMaxLength(200);
        builder.HasIndex(r => new { r.RoundId, r.CellId }).IsUnique();
        builder
            .HasOne<Round>()
            .WithMany()
            .HasForeignKey(r => r.RoundId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class IndividualViewConfiguration : IEntityTypeConfiguration<IndividualView>
{
    public void Configure(EntityTypeBuilder<IndividualView> builder)
    {
        builder.Property(v => v.CellId).HasMaxLength(100);
        builder.Property(v => v.ItemId).HasMaxLength(100);
        builder.Property(v => v.UserName).HasMaxLength(200);
        builder.Property(v => v.Position).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Reasoning).HasMaxLength(DeliberationLimits.Reasoning);
        builder.Property(v => v.MinorityView).HasMaxLength(DeliberationLimits.MinorityView);
        // One view per person per item per round; the cell page reads a cell's views at once.
        builder
            .HasIndex(v => new
            {
                v.RoundId,
                v.ItemId,
                v.UserId,
            })
            .IsUnique();
        builder.HasIndex(v => new { v.RoundId, v.CellId });
        builder
            .HasOne<Round>()
            .WithMany()
            .HasForeignKey(v => v.RoundId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> builder)
    {
        builder.Property(c => c.ItemId).HasMaxLength(100);
        builder.Property(c => c.AuthorName).HasMaxLength(200);
        builder.Property(c => c.Body).HasMaxLength(DeliberationLimits.Comment);
        builder.Property(c => c.MentionedUserIds).HasMaxLength(4000);
        builder.HasIndex(c => new
        {
            c.ReviewId,
            c.ItemId,
            c.CreatedAt,
        });
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(c => c.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CommentThreadConfiguration : IEntityTypeConfiguration<CommentThread>
{
    public void Configure(EntityTypeBuilder<CommentThread> builder)
    {
        builder.Property(t => t.ItemId).HasMaxLength(100);
        builder.Property(t => t.ResolvedByName).HasMaxLength(200);
        builder.HasIndex(t => new { t.ReviewId, t.ItemId }).IsUnique();
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(t => t.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
