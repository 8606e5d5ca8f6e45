using System.Text.Json;
using Lucid.Agents;

namespace Lucid.Mcp;

/// <summary>
/// A session's MCP servers: one connection per server the agent declares, kept for as long as the session's runner
/// lives. Each turn lists the enabled tools of every server (again only when a server said its list changed).
/// </summary>
internal sealed class McpToolbox : IAsyncDisposable
{
    private readonly Dictionary<string, McpServerConnection> _servers;
    private readonly IReadOnlyList<McpToolset> _toolsets;

    public McpToolbox(Agent agent, McpSessionServices services)
    {
        _servers = agent.McpServers.ToDictionary(s => s.Name, s => new McpServerConnection(s, services), StringComparer.Ordinal);
        _toolsets = [.. agent.Tools.OfType<McpToolset>()];
    }

    /// <summary>
    /// The enabled tools of every server that could be reached, and for each that could not, why (and whether its
    /// credential was the reason). A tool whose model
    /// name another tool already took (only possible through the hash of a shortened name) is left out.
    /// </summary>
    public async Task<(List<McpTool> Tools, List<(string Server, string Error, bool Authentication)> Failures)> ListAsync(ISet<string> takenNames, CancellationToken cancellationToken)
    {
        var tools = new List<McpTool>();
        var failures = new List<(string, string, bool)>();
        var listings = _toolsets
            .Where(t => _servers.ContainsKey(t.McpServerName))
            .Select(async t => (Toolset: t, Listing: await _servers[t.McpServerName].ToolsAsync(cancellationToken)))
            .ToList();
        foreach (var (toolset, (listed, error)) in await Task.WhenAll(listings))
        {
            if (listed is null)
            {
                failures.Add((toolset.McpServerName, error ?? $"The MCP server '{toolset.McpServerName}' could not be reached.", _servers[toolset.McpServerName].AuthenticationFailed));
                continue;
            }

            foreach (var info in listed)
            {
                var (enabled, policy) = toolset.Resolve(info.Name);
                var tool = new McpTool(toolset.McpServerName, info, policy);
                if (enabled && takenNames.Add(tool.ModelName))
                {
                    tools.Add(tool);
                }
            }
        }

        return (tools, failures);
    }

    /// <summary>Calls a tool of a server; every failure is an error result.</summary>
    public Task<McpCallResult> CallAsync(string server, string tool, JsonElement input, CancellationToken cancellationToken) =>
        _servers.TryGetValue(server, out var connection)
            ? connection.CallAsync(tool, input, cancellationToken)
            : Task.FromResult(McpCallResult.Fail($"This session's agent has no MCP server named '{server}'."));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
