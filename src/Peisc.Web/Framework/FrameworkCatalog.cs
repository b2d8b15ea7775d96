namespace Peisc.Web.Framework;

/// <summary>The editions shipped with the application, loaded and checked once at start-up.</summary>
public sealed class FrameworkCatalog
{
    public const string DefaultEditionId = "peisc";

    public FrameworkCatalog()
    {
        BuiltIn = [FrameworkLoader.LoadBuiltIn(DefaultEditionId)];
    }

    public IReadOnlyList<FrameworkEdition> BuiltIn { get; }

    public FrameworkEdition Default => BuiltIn[0];

    public FrameworkEdition? FindBuiltIn(string id) => BuiltIn.FirstOrDefault(e => e.Id == id);

    public bool IsBuiltIn(string id) => BuiltIn.Any(e => e.Id == id);
}
