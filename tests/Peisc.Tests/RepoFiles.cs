namespace Peisc.Tests;

// Tests run from bin/<config>/net10.0, so files outside the build output are found by walking up.
public static class RepoFiles
{
    public const string SeedRelativePath = "shared/seed/peisc-framework.txt";

    public static string Root => FindRoot();

    public static string EditionPath =>
        Path.Combine(Root, "src", "Peisc.Web", "Framework", "Editions", "peisc.json");

    // The seed is not in the repository: it sits in shared/ beside the clone (<repo>/../shared).
    public static string FindSeed()
    {
        var candidates = new List<string>
        {
            Path.GetFullPath(Path.Combine(Root, "..", SeedRelativePath)),
        };
        for (
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            dir is not null;
            dir = dir.Parent
        )
        {
            candidates.Add(Path.Combine(dir.FullName, SeedRelativePath));
        }
        var found = candidates.FirstOrDefault(File.Exists);
        Assert.True(
            found is not null,
            $"The framework seed text was not found. It should be at <repo>/../{SeedRelativePath} "
                + $"(the repository root is {Root}). Looked in:\n  "
                + string.Join("\n  ", candidates.Distinct())
        );
        return found!;
    }

    private static string FindRoot()
    {
        for (
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            dir is not null;
            dir = dir.Parent
        )
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No global.json found above {AppContext.BaseDirectory}: cannot locate the repository root."
        );
    }
}
