namespace Peisc.Web.Accounts;

public sealed class SecurityOptions
{
    /// <summary>
    /// Serve only over HTTPS: Secure cookies with the __Host- prefix, HSTS and redirection.
    /// Turned off only for plain-HTTP development on localhost.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Owners must use two-factor sign-in; the demo data turns this off.</summary>
    public bool RequireTwoFactorForOwners { get; set; } = true;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);
}
