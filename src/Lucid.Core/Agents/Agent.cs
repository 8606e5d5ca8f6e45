namespace Lucid.Agents;

/// <summary>One version of an agent: its instructions, model and tools. Every update creates a new version.</summary>
public sealed record Agent : IWorkspaceResource
{
    /// <summary>The agent's ID (<c>agent_…</c>), shared by all its versions.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace (tenant) the agent belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>The version, starting at 1.</summary>
    public required int Version { get; init; }

    /// <summary>The agent's name.</summary>
    public required string Name { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>The system prompt.</summary>
    public string? System { get; init; }

    /// <summary>The model string, such as <c>anthropic/claude-sonnet-4-5</c> or <c>openai/gpt-4.1</c>.</summary>
    public required string Model { get; init; }

    /// <summary>How hard the model works on each call, or null for the provider's default.</summary>
    public ModelEffort? Effort { get; init; }

    /// <summary>The tools the agent may use.</summary>
    public IReadOnlyList<AgentTool> Tools { get; init; } = [];

    /// <summary>The MCP servers the agent connects to (≤ 20, names unique), each used by an <see cref="McpToolset"/> in the tools.</summary>
    public IReadOnlyList<McpServer> McpServers { get; init; } = [];

    /// <summary>The custom skills mounted into its sessions, each pinned to a version.</summary>
    public IReadOnlyList<AgentSkill> Skills { get; init; } = [];

    /// <summary>Which sub-agents the agent may hand work to in session threads, or null when it works alone.</summary>
    public MultiagentConfig? Multiagent { get; init; }

    /// <summary>Free-form key/value pairs (at most 16, keys ≤ 64 chars, values ≤ 512 chars).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>When the agent (version 1) was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When this version was created.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the agent was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
