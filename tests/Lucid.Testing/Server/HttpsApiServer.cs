using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Server;

/// <summary>
/// An HTTPS "API" on a free loopback port, whose certificate (for <c>127.0.0.1</c> and <c>localhost</c>) a test CA of its
/// own issued: it answers <c>authorized</c> to <c>Authorization: Bearer</c> <see cref="Token"/> and 401 to anything else,
/// and records every <c>Authorization</c> header it received.
/// </summary>
public sealed class HttpsApiServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _authorizations = new();
    private readonly X509Certificate2 _serverCertificate;
    private readonly LoopbackHttpServer _server;

    public HttpsApiServer(string token)
    {
        Token = token;
        (Authority, _serverCertificate) = Issue();
        _server = new LoopbackHttpServer(Answer, _serverCertificate);
    }

    /// <summary>The token the API accepts.</summary>
    public string Token { get; }

    /// <summary>The CA that issued the server's certificate (public part only): trust it to verify the server.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The port the server listens on; set by <see cref="StartAsync"/>.</summary>
    public int Port => _server.Port;

    /// <summary>Every <c>Authorization</c> header received, in order ("" for a request without one).</summary>
    public IReadOnlyList<string> Authorizations => [.. _authorizations];

    public Task StartAsync() => _server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
        Authority.Dispose();
    }

    private async Task Answer(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        _authorizations.Enqueue(authorization);
        context.Response.StatusCode = authorization == $"Bearer {Token}" ? 200 : 401;
        await context.Response.WriteAsync(context.Response.StatusCode == 200 ? "authorized\n" : "unauthorized\n");
    }

    private static (X509Certificate2 Authority, X509Certificate2 Server) Issue()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Lucid test API CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(key);

        // Kestrel on Linux wants a key it can use across its own copies: a round trip through PKCS #12 gives one.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), server);
    }
}
