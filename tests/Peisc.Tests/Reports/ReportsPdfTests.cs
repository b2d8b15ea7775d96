using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Reports;

namespace Peisc.Tests.Reports;

/// <summary>Issue 5 item 3: PDF by LibreOffice when it is installed, and a clear answer when it is not.</summary>
public sealed class ReportsPdfTests
{
    // CI installs LibreOffice and sets this, so a missing soffice fails there instead of passing quietly.
    private static bool Required =>
        Environment.GetEnvironmentVariable("PEISC_REQUIRE_SOFFICE") == "1";

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}");
        return output;
    }

    [Fact]
    public async Task Pdf_LibreOfficeInstalled_BothDocumentsConvertAndReadBack()
    {
        await using var app = new TestApp(Db.Sqlite);
        if (!app.Services.GetRequiredService<PdfConverter>().IsAvailable)
        {
            Assert.False(
                Required,
                "PEISC_REQUIRE_SOFFICE=1 but soffice is not on PATH: install libreoffice-writer-nogui."
            );
            return;
        }
        var org = await app.CreateOrganisationAsync("Northshire Council");
        var review = await app.CreateReviewAsync(org, "Family group conferencing pilot");
        await app.AnswerAsync(
            org,
            review.Id,
            "human-rights.process.1",
            Position.Concern,
            "Consent is unclear to families."
        );
        await app.CreateActionAsync(
            org,
            review.Id,
            "Write the consent leaflet",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3)
        );
        var (invitation, _) = await app.InviteVoicesAsync(
            org,
            review.Id,
            group: Voices.Carers,
            itemIds: ["human-rights.process.1"]
        );
        await app.ContributeAsync(
            org,
            invitation.Id,
            "Jo",
            new Dictionary<string, string>
            {
                ["human-rights.process.1"] = "Nobody asked me what respite I needed.",
            }
        );
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var exportsPage = await client.GetPageAsync($"/reviews/{review.Id}/exports");
        Assert.NotNull(
            exportsPage.Find($"a[href='/reviews/{review.Id}/exports/board-report.pdf']")
        );
        Assert.Null(exportsPage.Find("#pdf-unavailable"));
        var folder = Directory.CreateTempSubdirectory("peisc-pdf-test-");
        try
        {
            foreach (
                var (what, heading) in new[]
                {
                    ("board-report", "Executive summary"),
                    ("summary", "The three most serious concerns"),
                }
            )
            {
                var (bytes, name, type) = await client.DownloadAsync(
                    $"/reviews/{review.Id}/exports/{what}.pdf"
                );
                Assert.Equal($"peisc-family-group-conferencing-pilot-{what}-round-1.pdf", name);
                Assert.Equal("application/pdf", type);
                Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
                var path = Path.Combine(folder.FullName, name);
                await File.WriteAllBytesAsync(path, bytes);
                if (Environment.GetEnvironmentVariable("PEISC_KEEP_PDF") is { Length: > 0 } keep)
                {
                    File.Copy(path, Path.Combine(keep, name), overwrite: true);
                }

                // Words as they read, wherever the lines wrap.
                var text = System.Text.RegularExpressions.Regex.Replace(
                    await RunAsync("pdftotext", path, "-"),
                    @"\s+",
                    " "
                );
                Assert.Contains("Family group conferencing pilot", text, StringComparison.Ordinal);
                Assert.Contains(heading, text, StringComparison.Ordinal);
                Assert.Contains("Consent is unclear to families.", text, StringComparison.Ordinal);
                if (what == "board-report")
                {
                    Assert.Contains(
                        "Nobody asked me what respite I needed.",
                        text,
                        StringComparison.Ordinal
                    );
                }
                Assert.Contains("Write the consent leaflet", text, StringComparison.Ordinal);
                var info = await RunAsync("pdfinfo", path);
                Assert.Matches(@"Tagged:\s+yes", info);
                Assert.Matches(
                    @"Title:\s+(Ethical review|Summary): Family group conferencing pilot",
                    info
                );
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        var audit = (await app.AuditAsync(org.Id))
            .Where(e => e.Action.StartsWith("export.", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(
            [AuditActions.BoardReportExported, AuditActions.SummaryExported],
            audit.Select(e => e.Action)
        );
        Assert.All(audit, e => Assert.Contains("as PDF", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pdf_WithoutLibreOffice_PageSaysHowToEnableItAndTheApiAnswers503()
    {
        await using var app = new TestApp(
            Db.Sqlite,
            new Dictionary<string, string?> { ["Reports:SofficePath"] = "/nowhere/soffice" }
        );
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "No PDF here");
        var client = await app.SignedInAsync(org[MemberRole.Viewer]);
        var api = await app.ApiClientAsync(org, MemberRole.Viewer);

        var page = await client.GetPageAsync($"/reviews/{review.Id}/exports");
        var response = await api.GetAsync($"/api/v1/reviews/{review.Id}/exports/board-report.pdf");

        Assert.Empty(page.FindAll("a[href$='.pdf']"));
        Assert.Contains(
            "libreoffice-writer-nogui",
            page.Find("#pdf-unavailable")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.NotNull(page.Find($"a[href='/reviews/{review.Id}/exports/board-report.docx']"));
        var problem = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("PDF is not available", problem.Text("title"));
        Assert.Contains(
            "libreoffice-writer-nogui",
            problem.Text("detail"),
            StringComparison.Ordinal
        );
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            HttpStatusCode.ServiceUnavailable,
            (await client.GetAsync($"/reviews/{review.Id}/exports/summary.pdf")).StatusCode
        );
        Assert.DoesNotContain(
            await app.AuditAsync(org.Id),
            e => e.Action.StartsWith("export.", StringComparison.Ordinal)
        );
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Pdf_LibreOfficeHangs_IsStoppedAtTheTimeoutAndAnswers503()
    {
        var folder = Directory.CreateTempSubdirectory("peisc-fake-soffice-");
        var fake = Path.Combine(folder.FullName, "soffice");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nexec sleep 60\n");
        File.SetUnixFileMode(
            fake,
            UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite
        );
        try
        {
            await using var app = new TestApp(
                Db.Sqlite,
                new Dictionary<string, string?>
                {
                    ["Reports:SofficePath"] = fake,
                    ["Reports:PdfTimeout"] = "00:00:01",
                }
            );
            var org = await app.CreateOrganisationAsync();
            var review = await app.CreateReviewAsync(org, "Slow");
            var api = await app.ApiClientAsync(org, MemberRole.Viewer);
            var clock = Stopwatch.StartNew();

            var response = await api.GetAsync($"/api/v1/reviews/{review.Id}/exports/summary.pdf");

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Took {clock.Elapsed}");
            var problem = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("took too long", problem.Text("detail"), StringComparison.Ordinal);
            Assert.DoesNotContain(
                await app.AuditAsync(org.Id),
                e => e.Action.StartsWith("export.", StringComparison.Ordinal)
            );
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
