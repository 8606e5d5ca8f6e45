namespace Lucid.Agents;

/// <summary>What a caller supplies to create an agent or a new version of one.</summary>
public sealed record AgentDefinition
{
    /// <summary>The agent's name (1–256 characters).</summary>
    public required string Name { get; init; }

    /// <summary>A description for people (≤ 2,048 characters).</summary>
    public string? Description { get; init; }

    /// <summary>The system prompt (≤ 100,000 characters).</summary>
    public string? System { get; init; }

    /// <summary>The model string.</summary>
    public required string Model { get; init; }

    /// <summary>How hard the model works on each call, or null for the provider's default.</summary>
    public ModelEffort? Effort { get; init; }

    /// <summary>The tools (≤ 128 entries).</summary>
    public IReadOnlyList<AgentTool> Tools { get; init; } = [];

    /// <summary>The MCP servers the agent connects to (≤ 20, names unique), each used by an <see cref="McpToolset"/> in the tools.</summary>
    public IReadOnlyList<McpServer> McpServers { get; init; } = [];

    /// <summary>The custom skills (≤ 20, distinct), pinned to their latest version on save when no version is given.</summary>
    public IReadOnlyList<SkillReference> Skills { get; init; } = [];

    /// <summary>Sub-agents for session threads, or null. Roster entries without a version are pinned to the latest version on save.</summary>
    public MultiagentConfig? Multiagent { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
