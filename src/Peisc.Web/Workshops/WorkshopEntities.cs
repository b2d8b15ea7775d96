using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peisc.Web.Data;

namespace Peisc.Web.Workshops;

/// <summary>A live session of a review, run in the room: one item at a time, with a join code for phones.</summary>
public sealed class WorkshopSession : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid ReviewId { get; set; }
    public Guid RoundId { get; set; }
    public required string Title { get; set; }

    /// <summary>Unambiguous capitals and digits; refused once the session has ended.</summary>
    public required string JoinCode { get; set; }

    /// <summary>The items to go through, in order, as a space-separated list of item ids.</summary>
    public required string ItemIds { get; set; }
    public int CurrentIndex { get; set; }
    public DateTime? TimerEndsAt { get; set; }
    public DateTime StartedAt { get; set; }
    public Guid StartedByUserId { get; set; }
    public DateTime? EndedAt { get; set; }

    public IReadOnlyList<string> Items => ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public string CurrentItemId => Items[Math.Clamp(CurrentIndex, 0, Items.Count - 1)];
}

/// <summary>Someone taking part: a member of the organisation, or a guest known only by name and only to this session.</summary>
public sealed class WorkshopParticipant : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid SessionId { get; set; }
    public Guid? UserId { get; set; }
    public required string Name { get; set; }
    public DateTime JoinedAt { get; set; }
}

/// <summary>One participant's position and note on one item; submitting again replaces it.</summary>
public sealed class WorkshopSubmission : IOrganisationOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid SessionId { get; set; }
    public Guid ParticipantId { get; set; }
    public required string ItemId { get; set; }
    public Position Position { get; set; }
    public string? Note { get; set; }
    public DateTime SubmittedAt { get; set; }
}

public static class WorkshopLimits
{
    public const int JoinCodeLength = 8;
    public const int Name = 60;
    public const int Note = 280;
    public const int Title = 200;
}

public sealed class WorkshopSessionConfiguration : IEntityTypeConfiguration<WorkshopSession>
{
    public void Configure(EntityTypeBuilder<WorkshopSession> builder)
    {
        builder.Property(s => s.Title).HasMaxLength(WorkshopLimits.Title);
        builder.Property(s => s.JoinCode).HasMaxLength(WorkshopLimits.JoinCodeLength);
        builder.HasIndex(s => s.JoinCode).IsUnique();
        builder.HasIndex(s => new { s.OrganisationId, s.ReviewId });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId);
        builder
            .HasOne<Review>()
            .WithMany()
            .HasForeignKey(s => s.ReviewId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.Items);
        builder.Ignore(s => s.CurrentItemId);
    }
}

public sealed class WorkshopParticipantConfiguration : IEntityTypeConfiguration<WorkshopParticipant>
{
    public void Configure(EntityTypeBuilder<WorkshopParticipant> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(WorkshopLimits.Name);
        // A member takes part once per session (guests have no user id, and NULLs never collide):
        // two first answers sent at once must not make two participants of one person.
        builder.HasIndex(p => new { p.SessionId, p.UserId }).IsUnique();
        builder
            .HasOne<WorkshopSession>()
            .WithMany()
            .HasForeignKey(p => p.SessionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkshopSubmissionConfiguration : IEntityTypeConfiguration<WorkshopSubmission>
{
    public void Configure(EntityTypeBuilder<WorkshopSubmission> builder)
    {
        builder.Property(s => s.ItemId).HasMaxLength(100);
        builder.Property(s => s.Position).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Note).HasMaxLength(WorkshopLimits.Note);
        builder.HasIndex(s => new { s.ParticipantId, s.ItemId }).IsUnique();
        builder.HasIndex(s => new { s.SessionId, s.ItemId });
        builder
            .HasOne<WorkshopParticipant>()
            .WithMany()
            .HasForeignKey(s => s.ParticipantId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
