using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

public sealed class EmailOptions
{
    public string From { get; set; } = "PEISC <no-reply@peisc.invalid>";

    /// <summary>When empty, messages are written to the pickup folder instead of being sent.</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>Defaults to "mail" inside the data folder.</summary>
    public string? PickupDirectory { get; set; }
}

/// <summary>Sends by SMTP when configured; otherwise writes .eml files to a pickup folder, for development.</summary>
public sealed class EmailSender(
    Microsoft.Extensions.Options.IOptions<EmailOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<EmailSender> logger
)
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            var folder = PickupDirectory;
            var path = Path.Combine(
                folder,
                $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml"
            );
            await message.WriteToAsync(path, ct);
            logger.LogInformation(
                "Email to {To} written to {Path} (no SMTP server configured)",
                to,
                path
            );
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(
            settings.SmtpHost,
            settings.SmtpPort,
            SecureSocketOptions.StartTlsWhenAvailable,
            ct
        );
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    public string PickupDirectory
    {
        get
        {
            var folder = string.IsNullOrWhiteSpace(options.Value.PickupDirectory)
                ? Path.Combine(DataSetup.DataDirectory(configuration, environment), "mail")
                : options.Value.PickupDirectory;
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}
