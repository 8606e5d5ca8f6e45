using System.Globalization;
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
            new SandboxSecret("vcrd_a", "TOKEN", "s3cret-a", new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] }), InHeaders: true, InBody: false),
            new SandboxSecret("vcrd_b", "ELSEWHERE", "s3cret-b", new EgressRules(new NetworkPolicy { AllowedHosts = ["api.example.com"] }), InHeaders: true, InBody: false),
            new SandboxSecret("vcrd_c", "BODY_ONLY", "s3cret-c", new EgressRules(new NetworkPolicy { Unrestricted = true }), InHeaders: false, InBody: true),
            new SandboxSecret("vcrd_d", "BROKEN", "s3cret\r\nX-Injected: 1", new EgressRules(new NetworkPolicy { Unrestricted = true }), InHeaders: true, InBody: false),
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

    [Fact]
    public async Task A_body_of_a_stated_length_gets_the_secrets_whose_injection_location_is_body_and_its_length_is_fixed()
    {
        var (proxy, inBody, inHeaders) = StartWithBodyAndHeaderSecrets();
        await using var _ = proxy;
        var body = $"{{\"key\":\"{inBody.Placeholder}\",\"other\":\"{inHeaders.Placeholder}\",\"again\":\"{inBody.Placeholder}\"}}";

        var answer = await ExchangeAsync(proxy, $"POST http://127.0.0.1:{OriginPort}/form HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Both: {inBody.Placeholder} {inHeaders.Placeholder}\r\nContent-Length: {body.Length}\r\n\r\n{body}");

        var expected = $"{{\"key\":\"body-secret\",\"other\":\"{inHeaders.Placeholder}\",\"again\":\"body-secret\"}}";
        Assert.Contains($"X-Both: {inBody.Placeholder} header-secret\n", answer, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {expected.Length}\n", answer, StringComparison.Ordinal);
        Assert.EndsWith($"body: {expected}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_or_one_over_the_cap_is_forwarded_unchanged()
    {
        var (proxy, inBody, _) = StartWithBodyAndHeaderSecrets();
        await using var __ = proxy;
        var chunk = $"{inBody.Placeholder.Length:x}\r\n{inBody.Placeholder}\r\n0\r\n\r\n";
        var large = inBody.Placeholder + new string('x', 1024 * 1024); // over the proxy's 1 MiB cap

        var chunked = await ExchangeAsync(proxy, $"POST http://127.0.0.1:{OriginPort}/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}");
        var tooLarge = await ExchangeAsync(proxy, $"POST http://127.0.0.1:{OriginPort}/large HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {large.Length}\r\n\r\n{large}");

        Assert.EndsWith($"body: {inBody.Placeholder}", chunked, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {large.Length}\n", tooLarge, StringComparison.Ordinal);
        Assert.EndsWith($"body: {large}", tooLarge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_that_also_states_a_content_length_is_forwarded_unchanged()
    {
        // Transfer-Encoding wins over Content-Length (RFC 9112, 6.3): the origin reads chunks, whatever length the head
        // states. The secret is as long as its placeholder, so a body rewritten anyway would reach the origin as the same
        // chunk holding the secret.
        var hosts = new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] });
        var unsized = new SandboxSecret("vcrd_body", "BODY", "", hosts, InHeaders: false, InBody: true);
        var inBody = unsized with { Value = new string('s', unsized.Placeholder.Length) };
        await using var proxy = EgressProxy.Start(Path.Combine(_directory, "egress.sock"), hosts, secrets: [inBody]);
        var chunk = $"{inBody.Placeholder.Length:x}\r\n{inBody.Placeholder}\r\n0\r\n\r\n";

        var answer = await ExchangeAsync(proxy, $"POST http://127.0.0.1:{OriginPort}/both HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {chunk.Length}\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}");

        Assert.Contains($"Content-Length: {chunk.Length}\n", answer, StringComparison.Ordinal);
        Assert.EndsWith($"body: {inBody.Placeholder}", answer, StringComparison.Ordinal);
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

    // A proxy to 127.0.0.1 with one secret substituted in bodies only and one in headers only.
    private (EgressProxy Proxy, SandboxSecret InBody, SandboxSecret InHeaders) StartWithBodyAndHeaderSecrets()
    {
        var hosts = new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] });
        var inBody = new SandboxSecret("vcrd_body", "BODY", "body-secret", hosts, InHeaders: false, InBody: true);
        var inHeaders = new SandboxSecret("vcrd_header", "HEADER", "header-secret", hosts, InHeaders: true, InBody: false);
        return (EgressProxy.Start(Path.Combine(_directory, "egress.sock"), hosts, secrets: [inBody, inHeaders]), inBody, inHeaders);
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

    private static async Task<string> ReadAsync(StreamReader reader, int length)
    {
        var buffer = new char[length];
        return new string(buffer, 0, await reader.ReadBlockAsync(buffer));
    }

    // The data of a chunked body, its chunks joined.
    private static async Task<string> ReadChunkedAsync(StreamReader reader)
    {
        var data = new StringBuilder();
        while (int.Parse(await reader.ReadLineAsync() ?? "0", NumberStyles.HexNumber, CultureInfo.InvariantCulture) is > 0 and var size)
        {
            data.Append(await ReadAsync(reader, size));
            await reader.ReadLineAsync();
        }

        return data.ToString();
    }

    // An origin that answers one request per connection with the head and the body it saw, then closes.
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

            var received = head.Any(h => h!.StartsWith("Transfer-Encoding: chunked", StringComparison.Ordinal))
                ? await ReadChunkedAsync(reader)
                : head.FirstOrDefault(h => h!.StartsWith("Content-Length: ", StringComparison.Ordinal)) is { } length
                    ? await ReadAsync(reader, int.Parse(length["Content-Length: ".Length..], CultureInfo.InvariantCulture))
                    : "";
            var body = $"origin saw: {string.Join("\n", head)}\nbody: {received}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        }
    }
}
