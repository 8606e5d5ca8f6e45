namespace Lucid.Agents;

/// <summary>A set of tools with one default configuration and per-tool overrides: the built-in toolset or an MCP server's.</summary>
public abstract record Toolset : AgentTool
{
    /// <summary>Applies to every tool of the set unless a config overrides it.</summary>
    public ToolsetDefaultConfig DefaultConfig { get; init; } = new();

    /// <summary>Per-tool overrides.</summary>
    public IReadOnlyList<ToolConfig> Configs { get; init; } = [];

    /// <summary>Resolves whether a tool of the set is enabled and its permission policy.</summary>
    public (bool Enabled, PermissionPolicy Policy) Resolve(string toolName)
    {
        var config = Configs.FirstOrDefault(c => c.Name == toolName);
        return (config?.Enabled ?? DefaultConfig.Enabled, config?.PermissionPolicy ?? DefaultConfig.PermissionPolicy);
    }
}
