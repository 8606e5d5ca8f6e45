using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Sandboxing;

/// <summary>
/// The only way out of a sandbox with <c>limited</c> networking: an HTTP proxy on a Unix socket that the sandbox's
/// processes reach (their network namespace has only loopback), which checks each destination against
/// <see cref="EgressRules"/>. It takes <c>CONNECT host:port</c> (HTTPS and any TCP protocol) and absolute-URI requests
/// (plain HTTP); anything else, and any host not allowed, gets a 403 and is logged. Written by hand because no
/// maintained .NET library is a forward proxy (YARP is a reverse proxy); it parses no more HTTP than a request head.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly Socket _listener;
    private readonly EgressRules _rules;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private EgressProxy(string socketPath, EgressRules rules, ILogger logger)
    {
        SocketPath = socketPath;
        _rules = rules;
        _logger = logger;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    /// <summary>The Unix socket the proxy listens on; bind it into the sandbox.</summary>
    public string SocketPath { get; }

    /// <summary>Starts a proxy on a new Unix socket at <paramref name="socketPath"/> (an old one there is replaced).</summary>
    public static EgressProxy Start(string socketPath, EgressRules rules, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        File.Delete(socketPath);
        return new EgressProxy(socketPath, rules, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        File.Delete(SocketPath);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptAsync(_stopping.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var inbound = new NetworkStream(client, ownsSocket: false);
        try
        {
            var read = await ReadHeadAsync(inbound);
            if (read is not { } received || Target(received.Head) is not { } target)
            {
                await RefuseAsync(inbound, 400, "Bad Request", "the proxy takes CONNECT host:port or an absolute http:// URI");
                return;
            }

            if (!_rules.Allows(target.Host))
            {
                EgressLog.Refused(_logger, target.Host, target.Port);
                await RefuseAsync(inbound, 403, "Forbidden", $"{target.Host} is not in this environment's allowed_hosts");
                return;
            }

            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target.Host, target.Port, _stopping.Token);
            await using var outbound = upstream.GetStream();
            if (target.Tunnel)
            {
                await inbound.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token);
            }
            else
            {
                await outbound.WriteAsync(Encoding.Latin1.GetBytes(target.ForwardedHead), _stopping.Token);
            }

            // Bytes the client sent after its head (a request body, or a client that did not wait for the 200).
            await outbound.WriteAsync(received.Following, _stopping.Token);

            await Task.WhenAny(inbound.CopyToAsync(outbound, _stopping.Token), outbound.CopyToAsync(inbound, _stopping.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the destination went away, or the proxy stopped; the connection ends with it.
        }
    }

    // Reads up to the blank line that ends a request head, and whatever followed it in the same reads; null when the
    // client closes first or sends more than a head may hold.
    private static async Task<(string Head, ReadOnlyMemory<byte> Following)?> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                return null;
            }

            var searchFrom = Math.Max(0, length - 3);
            length += read;
            var end = buffer.AsSpan(searchFrom, length - searchFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var headLength = searchFrom + end + 4;
                return (Encoding.Latin1.GetString(buffer, 0, headLength), buffer.AsMemory(headLength, length - headLength));
            }
        }

        return null;
    }

    private static ProxyTarget? Target(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3)
        {
            return null;
        }

        if (request[0] == "CONNECT")
        {
            var colon = request[1].LastIndexOf(':');
            return colon > 0 && int.TryParse(request[1][(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? new ProxyTarget(request[1][..colon].Trim('[', ']'), port, Tunnel: true, "")
                : null;
        }

        if (!Uri.TryCreate(request[1], UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return null;
        }

        // The origin sees an ordinary request: origin-form target, no proxy headers, and one request per connection.
        var headers = lines.Skip(1).Where(l => l.Length > 0
            && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
            && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase));
        var forwarded = $"{request[0]} {uri.PathAndQuery} {request[2]}\r\n{string.Join("\r\n", headers)}\r\nConnection: close\r\n\r\n";
        return new ProxyTarget(uri.IdnHost, uri.Port, Tunnel: false, forwarded);
    }

    private static async Task RefuseAsync(Stream stream, int status, string reason, string message)
    {
        var body = Encoding.UTF8.GetBytes($"Lucid egress proxy: {message}.\n");
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    }

    private sealed record ProxyTarget(string Host, int Port, bool Tunnel, string ForwardedHead);
}

internal static partial class EgressLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Egress refused: {Host}:{Port} is not allowed by the environment's networking")]
    public static partial void Refused(ILogger logger, string host, int port);
}
