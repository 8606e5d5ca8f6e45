using System.Text.Json;

namespace Lucid.Mcp;

/// <summary>A tool an MCP server offers.</summary>
/// <param name="Name">Its name on the server.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="InputSchema">The JSON schema of its arguments.</param>
public sealed record McpToolInfo(string Name, string? Description, JsonElement InputSchema);
