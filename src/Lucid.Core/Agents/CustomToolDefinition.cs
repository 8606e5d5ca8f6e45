using System.Text.Json;

namespace Lucid.Agents;

/// <summary>A tool the client executes: the agent emits <c>agent.custom_tool_use</c>, the client answers with <c>user.custom_tool_result</c>.</summary>
public sealed record CustomToolDefinition : AgentTool
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "custom";

    /// <summary>The tool's name (1–128 characters of letters, digits, <c>_</c> and <c>-</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What the tool does, for the model.</summary>
    public required string Description { get; init; }

    /// <summary>The JSON schema of the tool's input.</summary>
    public required JsonElement InputSchema { get; init; }
}
