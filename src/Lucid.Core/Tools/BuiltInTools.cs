namespace Lucid.Tools;

/// <summary>The built-in toolset: <c>bash</c>, <c>read</c>, <c>write</c>, <c>edit</c>, <c>glob</c>, <c>grep</c>, <c>web_fetch</c>.</summary>
public static class BuiltInTools
{
    /// <summary>One instance of each built-in tool.</summary>
    internal static IReadOnlyList<BuiltInTool> All { get; } =
        [new BashTool(), new ReadTool(), new WriteTool(), new EditTool(), new GlobTool(), new GrepTool(), new WebFetchTool()];

    /// <summary>The names of the built-in tools.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.Name)];

    /// <summary>The built-in tool with the given name, or null.</summary>
    internal static BuiltInTool? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
