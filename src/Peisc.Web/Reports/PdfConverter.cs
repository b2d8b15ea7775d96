using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Peisc.Web.Reports;

/// <summary>Why a PDF could not be made: LibreOffice is not installed, or it failed or took too long.</summary>
public sealed class PdfUnavailableException(string message, Exception? inner = null)
    : Exception(message, inner);

/// <summary>
/// Converts our Word documents to tagged PDF with LibreOffice, when it is installed. Each
/// conversion gets its own throwaway profile (UserInstallation), so conversions can run side by
/// side, and is killed if it takes longer than Reports:PdfTimeout.
/// </summary>
public sealed class PdfConverter(IOptions<ReportOptions> options, ILogger<PdfConverter> logger)
    : IDisposable
{
    public const string ContentType = "application/pdf";

    public const string HowToEnable =
        "PDF files are made by LibreOffice, which is not installed on this server. An administrator can install it "
        + "(on Debian or Ubuntu: apt-get install libreoffice-writer-nogui) or set Reports:SofficePath to where it is. "
        + "Meanwhile, the Word documents and the print view are available.";

    // Two at a time at most: each conversion is a whole LibreOffice process.
    private readonly SemaphoreSlim _gate = new(2);

    /// <summary>LibreOffice's program, found as configured (a full path, or a name on PATH); null if absent.</summary>
    public string? Executable
    {
        get
        {
            var configured = options.Value.SofficePath;
            if (configured.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return File.Exists(configured) ? configured : null;
            }
            return (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, configured))
                .FirstOrDefault(File.Exists);
        }
    }

    public bool IsAvailable => Executable is not null;

    public void Dispose() => _gate.Dispose();

    public async Task<byte[]> ConvertAsync(byte[] docx, CancellationToken ct)
    {
        var executable = Executable ?? throw new PdfUnavailableException(HowToEnable);
        var work = Directory.CreateTempSubdirectory("peisc-pdf-");
        await _gate.WaitAsync(ct);
        try
        {
            var input = Path.Combine(work.FullName, "document.docx");
            await File.WriteAllBytesAsync(input, docx, ct);
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = work.FullName,
            };
            foreach (
                var argument in new[]
                {
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--nologo",
                    "--nodefault",
                    "-env:UserInstallation="
                        + new Uri(Path.Combine(work.FullName, "profile")).AbsoluteUri,
                    // Tagged PDF, so that screen readers find the headings and tables.
                    "--convert-to",
                    "pdf:writer_pdf_Export:{\"UseTaggedPDF\":{\"type\":\"boolean\",\"value\":\"true\"}}",
                    "--outdir",
                    work.FullName,
                    input,
                }
            )
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["HOME"] = work.FullName;

            using var process =
                Process.Start(start)
                ?? throw new PdfUnavailableException("LibreOffice did not start.");
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.PdfTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                logger.LogWarning(
                    "LibreOffice took longer than {Timeout} to make a PDF",
                    options.Value.PdfTimeout
                );
                throw new PdfUnavailableException(
                    "Making the PDF took too long. Try again later, or download the Word document instead."
                );
            }
            var pdf = Path.Combine(work.FullName, "document.pdf");
            if (process.ExitCode != 0 || !File.Exists(pdf))
            {
                logger.LogWarning(
                    "LibreOffice made no PDF (exit code {ExitCode}): {Output} {Errors}",
                    process.ExitCode,
                    await output,
                    await errors
                );
                throw new PdfUnavailableException(
                    "LibreOffice could not make the PDF. Try again later, or download the Word document instead."
                );
            }
            return await File.ReadAllBytesAsync(pdf, ct);
        }
        finally
        {
            _gate.Release();
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not remove {Folder}", work.FullName);
            }
        }
    }
}
