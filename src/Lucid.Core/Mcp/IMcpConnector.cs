namespace Lucid.Mcp;

/// <summary>The port to an MCP client library: opens one connection to one server.</summary>
public interface IMcpConnector
{
    /// <summary>
    /// Connects and completes the protocol's handshake. <paramref name="toolsChanged"/> is called when the server says its
    /// tool list changed. Throws when the server cannot be reached or refuses the handshake.
    /// </summary>
    Task<IMcpConnection> ConnectAsync(McpEndpoint endpoint, Action toolsChanged, CancellationToken cancellationToken);
}
