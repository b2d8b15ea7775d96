using Microsoft.Extensions.DependencyInjection;
using Peisc.Web.Data;
using Peisc.Web.LivedExperience;

namespace Peisc.Tests.Infrastructure;

/// <summary>Builders for lived-experience invitations, written through VoiceService as a facilitator would.</summary>
public static class VoiceData
{
    public const string PublicName = "Family group meetings";
    public const string Safeguarding = "Sam Patel, safeguarding lead, 01234 567890";

    /// <summary>Creates an invitation and returns it with the token from its link.</summary>
    public static Task<(VoiceInvitation Invitation, string Token)> InviteVoicesAsync(
        this TestApp app,
        TestOrganisation org,
        Guid reviewId,
        DateOnly? expiresOn = null,
        Voices group = Voices.Families,
        params string[] itemIds
    ) =>
        app.AsMemberAsync(
            org,
            org.Members.GetValueOrDefault(MemberRole.Facilitator) ?? org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var review = await db.Reviews.FindAsync(reviewId);
                var (invitation, link) = await sp.GetRequiredService<VoiceService>()
                    .CreateAsync(
                        review!,
                        new VoiceInvitationInput(
                            group,
                            PublicName,
                            itemIds.Length == 0
                                ? ["human-rights.process.1", "human-rights.process.2"]
                                : itemIds,
                            expiresOn ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14),
                            VoiceService.DefaultConsentStatement,
                            Safeguarding,
                            null
                        ),
                        "http://localhost"
                    );
                return (invitation, link[(link.LastIndexOf('/') + 1)..]);
            }
        );

    /// <summary>A contribution through an invitation, as the invitee's form would save it.</summary>
    public static Task<Guid> ContributeAsync(
        this TestApp app,
        TestOrganisation org,
        Guid invitationId,
        string? name,
        IReadOnlyDictionary<string, string> answers
    ) =>
        app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var invitation = await db.VoiceInvitations.FindAsync(invitationId);
                var saved = await sp.GetRequiredService<VoiceService>()
                    .SubmitAsync(invitation!, name, answers);
                return saved!.Value.Contribution.Id;
            }
        );
}
