using System.Net;
using System.Net.Sockets;
using System.Text;
using Lucid.Environments;
using Lucid.Sandboxing;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class EgressProxyTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-egress-").FullName;
    private readonly TcpListener _origin = new(IPAddress.Loopback, 0);
    private int _originConnections;
    private Task _serving = Task.CompletedTask;

    private int OriginPort => ((IPEndPoint)_origin.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        _origin.Start();
        _serving = ServeOriginAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _origin.Stop();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_allowed_host_is_reached_through_a_tunnel_and_as_a_plain_http_request()
    {
        await using var proxy = Start(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] });

        var tunnelled = await ExchangeAsync(proxy, $"CONNECT 127.0.0.1:{OriginPort} HTTP/1.1\r\nHost: 127.0.0.1:{OriginPort}\r\n\r\nGET /through HTTP/1.1\r\nHost: x\r\n\r\n");
        var forwarded = await ExchangeAsync(proxy, $"GET http://127.0.0.1:{OriginPort}/plain?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Authorization: secret\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 Connection Established", tunnelled, StringComparison.Ordinal);
        Assert.Contains("origin saw: GET /through HTTP/1.1", tunnelled, StringComparison.Ordinal);
        Assert.Contains("origin saw: GET /plain?x=1 HTTP/1.1", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("Proxy-Authorization", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_host_gets_a_403_and_no_connection_is_made()
    {
        await using var proxy = Start(new NetworkPolicy { AllowedHosts = ["api.example.com", "*.example.org"] });

        var tunnel = await ExchangeAsync(proxy, $"CONNECT 127.0.0.1:{OriginPort} HTTP/1.1\r\n\r\n");
        var plain = await ExchangeAsync(proxy, $"GET http://localhost:{OriginPort}/ HTTP/1.1\r\n\r\n");
        var notAProxyRequest = await ExchangeAsync(proxy, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", tunnel, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 is not in this environment's allowed_hosts", tunnel, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", plain, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", notAProxyRequest, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _originConnections));
    }

    [Fact]
    public async Task A_plain_http_request_to_a_credential_host_gets_the_secret_in_its_header_values_only()
    {
        var secrets = new[]
        {
            new SandboxSecret("vcrd_a", "TOKEN", "s3cret-a", new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] }), InHeaders: true),
            new SandboxSecret("vcrd_b", "ELSEWHERE", "s3cret-b", new EgressRules(new NetworkPolicy { AllowedHosts = ["api.example.com"] }), InHeaders: true),
            new SandboxSecret("vcrd_c", "BODY_ONLY", "s3cret-c", new EgressRules(new NetworkPolicy { Unrestricted = true }), InHeaders: false),
            new SandboxSecret("vcrd_d", "BROKEN", "s3cret\r\nX-Injected: 1", new EgressRules(new NetworkPolicy { Unrestricted = true }), InHeaders: true),
        };
        var log = new RecordingLogger();
        await using var proxy = EgressProxy.Start(Path.Combine(_directory, "egress.sock"), new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] }), log, secrets);
        var placeholders = string.Join(' ', secrets.Select(s => s.Placeholder));

        var answer = await ExchangeAsync(proxy, $"GET http://127.0.0.1:{OriginPort}/q?k={secrets[0].Placeholder} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {placeholders}\r\nX-{secrets[0].Placeholder}: 1\r\n\r\n");

        Assert.Contains($"origin saw: GET /q?k={secrets[0].Placeholder} HTTP/1.1\n", answer, StringComparison.Ordinal);
        Assert.Contains($"Authorization: Bearer s3cret-a {secrets[1].Placeholder} {secrets[2].Placeholder} {secrets[3].Placeholder}\n", answer, StringComparison.Ordinal);
        Assert.Contains($"X-{secrets[0].Placeholder}: 1\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", answer, StringComparison.Ordinal);
        var (_, message) = Assert.Single(log.Entries);
        Assert.Contains("credential vcrd_a (TOKEN) substituted", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("API.example.com.", true)]
    [InlineData("other.example.com", false)]
    [InlineData("deep.sub.example.org", true)]
    [InlineData("example.org", false)]
    [InlineData("evil-example.org", false)]
    [InlineData("registry.npmjs.org", true)]
    [InlineData("pypi.org", true)]
    [InlineData("rubygems.org", true)]
    [InlineData("proxy.golang.org", true)]
    [InlineData("index.crates.io", true)]
    [InlineData("github.com", false)]
    public void Hosts_match_exactly_or_as_subdomains_of_a_wildcard_and_package_registries_when_allowed(string host, bool allowed)
    {
        var rules = new EgressRules(new NetworkPolicy { AllowedHosts = ["api.example.com", "*.example.org"], AllowPackageManagers = true });

        Assert.Equal(allowed, rules.Allows(host));
        Assert.False(new EgressRules(NetworkPolicy.Nothing).Allows(host));
        Assert.True(new EgressRules(new NetworkPolicy { Unrestricted = true }).Allows(host));
    }

    private EgressProxy Start(NetworkPolicy policy) => EgressProxy.Start(Path.Combine(_directory, "egress.sock"), new EgressRules(policy));

    // Sends raw bytes to the proxy's socket and reads until the other side closes.
    private static async Task<string> ExchangeAsync(EgressProxy proxy, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(proxy.SocketPath), timeout.Token);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    // An origin that answers one request per connection with the request line it saw, then closes.
    private async Task ServeOriginAsync()
    {
        while (true)
        {
            using var client = await _origin.AcceptTcpClientAsync();
            Interlocked.Increment(ref _originConnections);
            await using var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var head = new List<string?> { await reader.ReadLineAsync() };
            while (await reader.ReadLineAsync() is { Length: > 0 } header)
            {
                head.Add(header);
            }

            var body = $"origin saw: {string.Join("\n", head)}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        }
    }
}
