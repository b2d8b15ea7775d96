using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Peisc.Web.Data.Configurations;

public sealed class VoiceInvitationConfiguration : IEntityTypeConfiguration<VoiceInvitation>
{
    public void Configure(EntityTypeBuilder<VoiceInvitation> builder)
    {
        builder.Property(i => i.Group).HasConversion<string>().HasMaxLength(40);
        builder.Property(i => i.PublicName).HasMaxLength(VoiceLimits.PublicName);
        builder.Property(i => i.ItemIds).HasMaxLength(4000);
        builder.Property(i => i.ConsentStatement).HasMaxLength(VoiceLimits.ConsentStatement);
        builder.Property(i => i.SafeguardingContact).HasMaxLength(VoiceLimits.SafeguardingContact);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.ReviewId, i.CreatedAt });
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(i => i.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class VoiceContributionConfiguration : IEntityTypeConfiguration<VoiceContribution>
{
    public void Configure(EntityTypeBuilder<VoiceContribution> builder)
    {
        builder.Property(c => c.Group).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.Name).HasMaxLength(VoiceLimits.Name);
        builder.Property(c => c.WithdrawKeyHash).HasMaxLength(64);
        builder.HasIndex(c => c.InvitationId);
        builder.HasIndex(c => c.ReviewId);
        builder
            .HasOne<VoiceInvitation>()
            .WithMany()
            .HasForeignKey(c => c.InvitationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class VoiceResponseConfiguration : IEntityTypeConfiguration<VoiceResponse>
{
    public void Configure(EntityTypeBuilder<VoiceResponse> builder)
    {
        builder.Property(r => r.ItemId).HasMaxLength(100);
        builder.Property(r => r.Text).HasMaxLength(VoiceLimits.Answer);
        // The cell page reads one review's responses to a handful of items.
        builder.HasIndex(r => new { r.ReviewId, r.ItemId });
        builder
            .HasOne<VoiceContribution>()
            .WithMany()
            .HasForeignKey(r => r.ContributionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PlainLanguageTextConfiguration : IEntityTypeConfiguration<PlainLanguageText>
{
    public void Configure(EntityTypeBuilder<PlainLanguageText> builder)
    {
        builder.Property(p => p.ItemId).HasMaxLength(100);
        builder.Property(p => p.Text).HasMaxLength(VoiceLimits.PlainLanguage);
        builder.HasIndex(p => new { p.OrganisationId, p.ItemId }).IsUnique();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId);
    }
}
