namespace Peisc.BrowserTests.Infrastructure;

/// <summary>Screenshots for a person to look at, kept outside the repository.</summary>
public static class Screenshots
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "peisc-shots");

    public static string PathFor(string name)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, name);
    }
}
