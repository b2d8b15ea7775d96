namespace Peisc.Web.Demo;

public static class DemoData
{
    public static IServiceCollection AddPeiscDemoData(this IServiceCollection services) => services;

    public static Task SeedDemoDataAsync(this WebApplication app) => Task.CompletedTask;
}
