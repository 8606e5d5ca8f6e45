using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Sandboxing;

/// <summary>
/// The only way out of a sandbox with <c>limited</c> networking: an HTTP proxy on a Unix socket that the sandbox's
/// processes reach (their network namespace has only loopback), which checks each destination against
/// <see cref="EgressRules"/>. It takes <c>CONNECT host:port</c> (HTTPS and any TCP protocol) and absolute-URI requests
/// (plain HTTP); anything else, and any host not allowed, gets a 403 and is logged. Written by hand because no
/// maintained .NET library is a forward proxy (YARP is a reverse proxy whose forwarder needs an ASP.NET Core request,
/// which a connection the proxy decrypted itself is not); it parses no more HTTP than a request head and a body's length.
/// <para>
/// With <see cref="SandboxSecret"/>s, it puts each secret in place of its placeholder in the header values and, where
/// the credential asks, the bodies (<see cref="ProxyBody"/>) of requests to the secret's hosts: in plain-HTTP requests as they pass, and in HTTPS by ending the sandbox's TLS itself with a
/// certificate of <see cref="EgressAuthority"/> and opening its own, verified, TLS connection to the host. A tunnel to
/// a host no secret is substituted on is left alone, as without secrets.
/// </para>
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly Socket _listener;
    private readonly EgressRules _rules;
    private readonly IReadOnlyList<SandboxSecret> _secrets;
    private readonly EgressAuthority _authority;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private EgressProxy(string socketPath, EgressRules rules, IReadOnlyList<SandboxSecret> secrets, EgressAuthority authority, ILogger logger)
    {
        SocketPath = socketPath;
        _rules = rules;
        _secrets = secrets;
        _authority = authority;
        _logger = logger;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    /// <summary>The Unix socket the proxy listens on; bind it into the sandbox.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Starts a proxy on a new Unix socket at <paramref name="socketPath"/> (an old one there is replaced) that lets
    /// through what <paramref name="rules"/> allow and substitutes <paramref name="secrets"/>, intercepting TLS with
    /// <paramref name="authority"/> (<see cref="EgressAuthority.Shared"/> when not given) where it must.
    /// </summary>
    public static EgressProxy Start(string socketPath, EgressRules rules, ILogger? logger = null, IReadOnlyList<SandboxSecret>? secrets = null, EgressAuthority? authority = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        File.Delete(socketPath);
        return new EgressProxy(socketPath, rules, secrets ?? [], authority ?? EgressAuthority.Shared, logger ?? NullLogger.Instance);
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
            if (read is not { } received || ProxyRequest.ToProxy(received.Head) is not { } target)
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

            var secrets = _secrets.Where(s => s.SubstitutedOn(target.Host)).ToList();
            if (target.Tunnel && secrets.Count > 0)
            {
                await InterceptAsync(inbound, target, received.Following, secrets);
                return;
            }

            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target.Host, target.Port, _stopping.Token);
            await using var outbound = upstream.GetStream();
            if (target.Tunnel)
            {
                await inbound.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token);

                // Bytes a client that did not wait for the 200 sent after its head.
                await outbound.WriteAsync(received.Following, _stopping.Token);
            }
            else
            {
                await ForwardAsync(inbound, outbound, target, received.Following, secrets);
            }

            await Task.WhenAny(inbound.CopyToAsync(outbound, _stopping.Token), outbound.CopyToAsync(inbound, _stopping.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            // The client or the destination went away, the sandbox's client refused the proxy's certificate, or the
            // proxy stopped; the connection ends with it.
        }
    }

    // Ends the sandbox's TLS with a certificate for the host, reads one request head, and forwards it with the secrets
    // in place over a TLS connection of the proxy's own to the host, whose certificate is verified as any client would.
    private async Task InterceptAsync(Stream inbound, ProxyRequest tunnel, ReadOnlyMemory<byte> early, IReadOnlyList<SandboxSecret> secrets)
    {
        if (!early.IsEmpty)
        {
            await RefuseAsync(inbound, 400, "Bad Request", "send nothing through a tunnel before it is established");
            return;
        }

        await inbound.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token);
        await using var sandboxSide = new SslStream(inbound, leaveInnerStreamOpen: true);
        await sandboxSide.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = _authority.LeafFor(tunnel.Host), ApplicationProtocols = [SslApplicationProtocol.Http11] },
            _stopping.Token);
        var read = await ReadHeadAsync(sandboxSide);
        if (read is not { } received || ProxyRequest.InTunnel(received.Head, tunnel.Host, tunnel.Port) is not { } request)
        {
            await RefuseAsync(sandboxSide, 400, "Bad Request", $"the proxy reads HTTP/1.1 requests in a tunnel to {tunnel.Host}, where it substitutes credentials");
            return;
        }

        using var upstream = new TcpClient();
        await upstream.ConnectAsync(tunnel.Host, tunnel.Port, _stopping.Token);
        await using var hostSide = new SslStream(upstream.GetStream());
        try
        {
            await hostSide.AuthenticateAsClientAsync(UpstreamTls(tunnel.Host), _stopping.Token);
        }
        catch (AuthenticationException ex)
        {
            EgressLog.Unverified(_logger, tunnel.Host, tunnel.Port, ex.Message);
            await RefuseAsync(sandboxSide, 502, "Bad Gateway", $"{tunnel.Host}:{tunnel.Port.ToString(CultureInfo.InvariantCulture)} did not present a certificate the proxy trusts ({ex.Message})");
            return;
        }

        await ForwardAsync(sandboxSide, hostSide, request, received.Following, secrets);
        await Task.WhenAny(sandboxSide.CopyToAsync(hostSide, _stopping.Token), hostSide.CopyToAsync(sandboxSide, _stopping.Token));
        await sandboxSide.ShutdownAsync();
    }

    private SslClientAuthenticationOptions UpstreamTls(string host)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = host, ApplicationProtocols = [SslApplicationProtocol.Http11] };
        if (_authority.UpstreamRoots is { } roots)
        {
            options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }

    // Sends the origin the request's head and what followed it, with the secrets in place: in the body too when
    // ProxyBody rewrites it, which reads the rest of the body from the client first. Which credentials were used is
    // logged, never their values.
    private async Task ForwardAsync(Stream client, Stream origin, ProxyRequest request, ReadOnlyMemory<byte> following, IReadOnlyList<SandboxSecret> secrets)
    {
        var used = new HashSet<SandboxSecret>();
        byte[]? body = null;
        if (ProxyBody.Rewritten(request, secrets))
        {
            var length = (int)request.ContentLength!.Value;
            var received = new byte[length];
            var early = Math.Min(following.Length, length);
            following[..early].CopyTo(received);
            await client.ReadExactlyAsync(received.AsMemory(early), _stopping.Token);
            following = following[early..];
            body = ProxyBody.Substitute(received, secrets, used);
        }
        else if (secrets.Any(s => s.InBody) && (request.HasHeader("Transfer-Encoding") || request.ContentLength is > 0))
        {
            EgressLog.BodyNotRewritten(_logger, request.Host, request.Port, ProxyBody.MaxBytes);
        }

        var head = request.Forwarded(secrets, used, body?.Length);
        foreach (var secret in used)
        {
            EgressLog.Substituted(_logger, secret.CredentialId, secret.Name, request.Host, request.Port);
        }

        await origin.WriteAsync(Encoding.Latin1.GetBytes(head), _stopping.Token);
        await origin.WriteAsync(body ?? [], _stopping.Token);
        await origin.WriteAsync(following, _stopping.Token);
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

    private static async Task RefuseAsync(Stream stream, int status, string reason, string message)
    {
        var body = Encoding.UTF8.GetBytes($"Lucid egress proxy: {message}.\n");
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    }

}

internal static partial class EgressLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Egress refused: {Host}:{Port} is not allowed by the environment's networking")]
    public static partial void Refused(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Egress: the secret of credential {CredentialId} ({Variable}) substituted into a request to {Host}:{Port}")]
    public static partial void Substituted(ILogger logger, string credentialId, string variable, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Egress: a request body to {Host}:{Port} was forwarded without substituting secrets in it, as it is chunked or longer than {MaxBytes} bytes")]
    public static partial void BodyNotRewritten(ILogger logger, string host, int port, int maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Egress refused: {Host}:{Port} presented a certificate that could not be verified: {Reason}")]
    public static partial void Unverified(ILogger logger, string host, int port, string reason);
}
