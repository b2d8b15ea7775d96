namespace Peisc.Web.Reports;

public sealed class ReportOptions
{
    /// <summary>LibreOffice's command, on PATH or a full path: without it, Word files are not converted to PDF.</summary>
    public string SofficePath { get; set; } = "soffice";

    public TimeSpan PdfTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public static class ReportsSetup
{
    public static IServiceCollection AddPeiscReports(this IServiceCollection services)
    {
        services
            .AddOptions<ReportOptions>()
            .BindConfiguration("Reports")
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.SofficePath),
                "Reports:SofficePath must name LibreOffice's command (soffice by default)."
            )
            .Validate(
                o => o.PdfTimeout > TimeSpan.Zero && o.PdfTimeout <= TimeSpan.FromMinutes(10),
                "Reports:PdfTimeout must be more than zero and at most 10 minutes."
            )
            .ValidateOnStart();
        services.AddSingleton<PdfConverter>();
        services.AddScoped<ReviewReportReader>();
        services.AddScoped<ReviewExports>();
        services.AddScoped<Transfer.ReviewTransfer>();
        services.AddScoped<Transfer.ReviewImport>();
        return services;
    }
}
