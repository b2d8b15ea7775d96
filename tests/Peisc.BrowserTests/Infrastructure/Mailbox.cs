using System.Text.RegularExpressions;
using MimeKit;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>Reads what the app "sent": with no SMTP server it writes .eml files to its pickup folder.</summary>
public static partial class Mailbox
{
    public static async Task<MimeMessage> NewestAsync(string folder)
    {
        var newest = new DirectoryInfo(folder)
            .EnumerateFiles("*.eml")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        Assert.True(newest is not null, $"No email was written to {folder}");
        return await MimeMessage.LoadAsync(newest.FullName);
    }

    /// <summary>The path of the invitation link in an email: /invitations/&lt;token&gt;.</summary>
    public static string InvitationPath(MimeMessage message)
    {
        var match = InvitationLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"No invitation link in:\n{message.TextBody}");
        return match.Groups["path"].Value;
    }

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/invitations/[A-Za-z0-9_\-]+)")]
    private static partial Regex InvitationLink();
}
