using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Lucid.Environments;
using Lucid.Sandboxing;
using Lucid.Testing.Server;
using Lucid.Tools;

namespace Lucid.Core.Tests.Sandboxing;

/// <summary>
/// A vault's environment variable in a real sandbox with <c>limited</c> networking: <c>curl</c> sends the placeholder,
/// and the egress proxy puts the secret in its place on the credential's hosts only, over TLS it ends itself.
/// </summary>
public sealed class EgressSubstitutionTests : IAsyncLifetime
{
    private const string Secret = "sk-live-substituted-0123456789abcdef";
    private const string Bundle = "/run/lucid/ca-certificates.pem";
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-egress-secret-").FullName;
    private readonly HttpsApiServer _api = new(Secret);
    private readonly RecordingLogger _log = new();
    private EgressAuthority _authority = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _authority = new EgressAuthority(TimeProvider.System, [X509CertificateLoader.LoadCertificate(_api.Authority.RawData)]);
    }

    public async Task DisposeAsync()
    {
        _authority.Dispose();
        await _api.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    // The secret backwards, for a command that looks for it without holding it on its own command line.
    private static string Reversed => new([.. Secret.Reverse()]);

    private static SandboxSecret Token => new("vcrd_api", "TOKEN", Secret, new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1"] }), InHeaders: true, InBody: false);

    [Fact]
    public async Task Curl_reaches_the_api_with_the_secret_while_the_sandbox_sees_only_the_placeholder()
    {
        var result = await BashAsync(
            $"echo \"env: $TOKEN\"; tr '\\0' '\\n' < /proc/1/environ | grep TOKEN; echo \"secret in environ: $(grep -ls -- \"$(echo {Reversed} | rev)\" /proc/[0-9]*/environ | wc -l)\"; "
            + $"curl -sS -m 20 -H \"Authorization: Bearer $TOKEN\" https://127.0.0.1:{_api.Port}/v1/me");

        Assert.False(result.IsError, result.Content);
        Assert.Contains($"env: {Token.Placeholder}\n", result.Content, StringComparison.Ordinal);
        Assert.Contains($"TOKEN={Token.Placeholder}\n", result.Content, StringComparison.Ordinal);
        Assert.Contains("secret in environ: 0\n", result.Content, StringComparison.Ordinal);
        Assert.Contains("authorized\n", result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("unauthorized", result.Content, StringComparison.Ordinal);
        Assert.Equal([$"Bearer {Secret}"], _api.Authorizations);
        Assert.DoesNotContain(Secret, result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(_log.Entries, e => e.Message.Contains("credential vcrd_api (TOKEN) substituted into a request to 127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_the_credential_does_not_name_gets_the_placeholder_through_a_plain_tunnel()
    {
        // localhost is the same server, allowed by the environment but not by the credential: the proxy does not look
        // inside the tunnel, so curl sees the API's own certificate (issued by its test CA) and the API the placeholder.
        var result = await BashAsync($"curl -sS -k -v -m 20 -H \"Authorization: Bearer $TOKEN\" https://localhost:{_api.Port}/v1/me 2>&1");

        Assert.Contains("unauthorized", result.Content, StringComparison.Ordinal);
        Assert.Contains("issuer: CN=Lucid test API CA", result.Content, StringComparison.Ordinal);
        Assert.Equal([$"Bearer {Token.Placeholder}"], _api.Authorizations);
    }

    [Fact]
    public async Task A_host_whose_certificate_the_proxy_cannot_verify_gets_no_request_and_the_sandbox_a_502()
    {
        // An authority that trusts the system's roots only, which never issued the test API's certificate.
        using var systemTrust = new EgressAuthority(TimeProvider.System);

        var result = await BashAsync($"curl -sS -m 20 -w '%{{http_code}}' -H \"Authorization: Bearer $TOKEN\" https://127.0.0.1:{_api.Port}/v1/me", systemTrust);

        Assert.Contains("502", result.Content, StringComparison.Ordinal);
        Assert.Contains("did not present a certificate the proxy trusts", result.Content, StringComparison.Ordinal);
        Assert.Empty(_api.Authorizations);
    }

    [Fact]
    public async Task The_sandbox_trusts_the_authority_through_a_public_bundle_and_cannot_read_its_private_key()
    {
        var result = await BashAsync(
            $"echo \"cafile: $SSL_CERT_FILE $CURL_CA_BUNDLE $REQUESTS_CA_BUNDLE $NODE_EXTRA_CA_CERTS\"; grep -c 'PRIVATE KEY' {Bundle}; "
            + $"grep -c 'BEGIN CERTIFICATE' {Bundle}; ls /proc | grep -c '^[0-9]'; "
            + "grep -rls 'PRIVATE KEY' /run /tmp /workspace 2>/dev/null | wc -l");

        var bundle = await File.ReadAllTextAsync(_authority.BundlePath);
        Assert.Contains($"cafile: {string.Join(' ', Enumerable.Repeat(Bundle, 4))}\n", result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", bundle, StringComparison.Ordinal);
        Assert.EndsWith(_authority.CertificatePem + "\n", bundle, StringComparison.Ordinal);
        var counts = result.Content.Split('\n')[1..5].Select(int.Parse).ToArray();
        Assert.Equal(0, counts[0]);
        Assert.True(counts[1] > 1, result.Content); // the system's roots and the authority's
        Assert.True(counts[2] < 10, result.Content); // only the sandbox's own processes: not the server's, which holds the key
        Assert.Equal(0, counts[3]);
    }

    private async Task<ToolResult> BashAsync(string command, EgressAuthority? authority = null)
    {
        var context = new ToolContext
        {
            Directory = new WorkDirectory(_root),
            Sandbox = new SandboxOptions
            {
                Egress = new EgressRules(new NetworkPolicy { AllowedHosts = ["127.0.0.1", "localhost"] }),
                Secrets = [Token],
                Authority = authority ?? _authority,
            },
            SandboxLog = _log,
            Limits = new ToolLimits { DefaultTimeout = TimeSpan.FromSeconds(60) },
        };
        return await BuiltInTools.Find("bash")!.InvokeAsync(JsonSerializer.SerializeToElement(new { command }), context, CancellationToken.None);
    }
}
