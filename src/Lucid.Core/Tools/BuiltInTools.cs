namespace Lucid.Tools;

/// <summary>The built-in toolset.</summary>
public static class BuiltInTools
{
    /// <summary>One instance of each built-in tool.</summary>
    public static IReadOnlyList<BuiltInTool> All { get; } = [];
}
