namespace Lucid;

/// <summary>Workspaces isolate tenants of one Lucid store from each other.</summary>
public static class Workspaces
{
    /// <summary>The workspace used when none is named.</summary>
    public const string Default = "default";
}
