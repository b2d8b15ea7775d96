using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>
/// Who is asking, for this request: filled in once the session cookie has been checked
/// against the server's session table. AppDbContext reads the organisation from here.
/// </summary>
public sealed class CurrentMember
{
    public Guid? UserId { get; set; }
    public Guid? SessionId { get; set; }
    public Guid? OrganisationId { get; set; }
    public string? OrganisationName { get; set; }
    public MemberRole? Role { get; set; }
    public string? DisplayName { get; set; }
    public bool TwoFactorRequiredButMissing { get; set; }

    public bool IsSignedIn => UserId is not null;

    public bool Has(MemberRole atLeast) => Role is { } role && role >= atLeast;
}
