using Lucid.Mcp;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Lucid.Mcp.Client;

/// <summary>
/// Connects to MCP servers with the official ModelContextProtocol SDK: over HTTP (streamable HTTP, falling back to
/// server-sent events) or over the standard streams of a process Lucid started.
/// </summary>
public sealed class SdkMcpConnector : IMcpConnector
{
    private readonly ILoggerFactory? _logs;
    private readonly TimeProvider _time;

    /// <summary>Creates the connector.</summary>
    public SdkMcpConnector(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logs = loggerFactory;
    }

    /// <inheritdoc />
    public async Task<IMcpConnection> ConnectAsync(McpEndpoint endpoint, Action toolsChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(toolsChanged);
        IClientTransport transport = endpoint switch
        {
            McpHttpEndpoint http => new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Endpoint = http.Url,
                    Name = http.ServerName,
                    TransportMode = HttpTransportMode.AutoDetect,
                    ConnectionTimeout = http.ConnectTimeout,
                    AdditionalHeaders = http.Headers.ToDictionary(h => h.Key, h => h.Value),
                },
                _logs),
            McpStreamEndpoint streams => new StreamClientTransport(streams.ToServer, streams.FromServer, _logs),
            _ => throw new ArgumentException($"No transport for {endpoint.GetType().Name}.", nameof(endpoint)),
        };

        var client = await McpClient.CreateAsync(
            transport,
            new McpClientOptions { ClientInfo = new Implementation { Name = "lucid", Version = "1.0" }, TimeProvider = _time },
            _logs,
            cancellationToken);
        var subscription = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            toolsChanged();
            return ValueTask.CompletedTask;
        });
        return new SdkMcpConnection(client, subscription);
    }
}
