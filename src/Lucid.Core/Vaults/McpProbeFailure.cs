namespace Lucid.Vaults;

/// <summary>The MCP <paramref name="Method"/> a validation probe failed at, and the server's answer (null when it gave none).</summary>
public sealed record McpProbeFailure(string Method, CapturedResponse? Response);
