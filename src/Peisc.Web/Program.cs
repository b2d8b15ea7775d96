using Peisc.Web.Accounts;
using Peisc.Web.Api;
using Peisc.Web.Data;
using Peisc.Web.Demo;
using Peisc.Web.LivedExperience;
using Peisc.Web.Operations;
using Peisc.Web.Reports;
using Peisc.Web.Web;
using Peisc.Web.Workshops;

// backup, restore, retention purge, audit verify or people erase instead of serving (docs/operations.md).
var command = OperatorCommand.Parse(args);
var builder = WebApplication.CreateBuilder(command?.HostArguments ?? args);

builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPeiscData(builder.Configuration, builder.Environment);
builder.Services.AddPeiscAccounts(builder.Configuration);
builder.Services.AddPeiscWeb();
builder.Services.AddPeiscReports();
builder.Services.AddPeiscLivedExperience();
builder.Services.AddPeiscWorkshops(builder.Configuration);
builder.Services.AddPeiscDemoData(builder.Configuration);
builder.Services.AddPeiscOperations();

var app = builder.Build();

if (command is { Name: "backup" or "restore" })
{
    // A restore must not migrate the database it is about to replace.
    return await command.RunAsync(app.Services, Console.Out, Console.Error);
}
await app.MigrateDatabaseAsync();
if (command is not null)
{
    return await command.RunAsync(app.Services, Console.Out, Console.Error);
}
await app.SeedDemoDataAsync();

app.UsePeiscPipeline();
app.UseRateLimiter();
app.MapRazorPages();
app.MapFrameworksApi();
app.MapReviewsApi();
app.MapExports();
app.MapWorkshops();
app.MapHealth();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

app.MapNotFound();

await app.RunAsync();
return 0;
