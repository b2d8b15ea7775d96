namespace Peisc.Web.Framework;

/// <summary>One thing wrong with a framework file, in plain words, with where it is.</summary>
public sealed record FrameworkProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

public sealed record FrameworkLoadResult(
    FrameworkEdition? Edition,
    IReadOnlyList<FrameworkProblem> Problems
)
{
    public bool IsValid => Edition is not null && Problems.Count == 0;
}
