using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Lucid.Sandboxing;

/// <summary>
/// The certificate authority with which the egress proxy terminates TLS to the hosts a vault credential's secret is
/// substituted on, and the trust it verifies those hosts' real certificates with. One per server process, made in
/// memory on first use: its private key is never exported or written anywhere, so no sandbox (which sees only files
/// bound into it) can read it. Per process rather than per session because the key lives in the server's memory either
/// way: a CA per session would separate nothing a sandbox can reach, and would cost a key and a leaf cache per session.
/// Sandboxes trust it through a bundle file (the system's roots and its public certificate) bound in read-only.
/// </summary>
public sealed class EgressAuthority : IDisposable
{
    /// <summary>Where a Debian-family system keeps its roots as one PEM file; what a sandbox would trust anyway.</summary>
    public const string SystemBundlePath = "/etc/ssl/certs/ca-certificates.crt";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan Backdating = TimeSpan.FromHours(1);

    private readonly TimeProvider _time;
    private readonly Lazy<X509Certificate2> _root;
    private readonly Lazy<string> _bundle;
    private readonly ConcurrentDictionary<string, X509Certificate2> _leaves = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// An authority whose certificates are valid from <paramref name="time"/>'s now. Upstream certificates are verified
    /// against the system's roots, or only against <paramref name="upstreamRoots"/> when given (a private CA).
    /// </summary>
    public EgressAuthority(TimeProvider time, X509Certificate2Collection? upstreamRoots = null)
    {
        _time = time;
        UpstreamRoots = upstreamRoots;
        _root = new Lazy<X509Certificate2>(MakeRoot);
        _bundle = new Lazy<string>(WriteBundle);
    }

    /// <summary>The server's authority, made on first use.</summary>
    public static EgressAuthority Shared { get; } = new(TimeProvider.System);

    /// <summary>The roots upstream certificates are verified against instead of the system's; null for the system's.</summary>
    public X509Certificate2Collection? UpstreamRoots { get; }

    /// <summary>The authority's public certificate (no private key), as PEM.</summary>
    public string CertificatePem => _root.Value.ExportCertificatePem();

    /// <summary>
    /// A file holding the system's roots and this authority's certificate, public material only, written once per
    /// process to the temporary directory and bound read-only into the sandboxes that trust it.
    /// </summary>
    public string BundlePath => _bundle.Value;

    /// <summary>The certificate the proxy shows a sandbox for <paramref name="host"/>, issued by this authority and cached until it is near expiry.</summary>
    public X509Certificate2 LeafFor(string host)
    {
        var now = _time.GetUtcNow();
        return _leaves.AddOrUpdate(
            host,
            MakeLeaf,
            (h, cached) => cached.NotAfter.ToUniversalTime() - now.UtcDateTime > LeafLifetime / 2 ? cached : MakeLeaf(h));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var leaf in _leaves.Values)
        {
            leaf.Dispose();
        }

        if (_root.IsValueCreated)
        {
            _root.Value.Dispose();
        }

        if (_bundle.IsValueCreated)
        {
            File.Delete(_bundle.Value);
        }
    }

    private X509Certificate2 MakeRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Lucid egress proxy {Guid.NewGuid():N}, O=Lucid", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = _time.GetUtcNow();
        return request.CreateSelfSigned(now - Backdating, now + CaLifetime);
    }

    private X509Certificate2 MakeLeaf(string host)
    {
        var root = _root.Value;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build(true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var now = _time.GetUtcNow();
        var notAfter = now + LeafLifetime < root.NotAfter ? now + LeafLifetime : new DateTimeOffset(root.NotAfter);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(root, now - Backdating, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private string WriteBundle()
    {
        var system = File.Exists(SystemBundlePath) ? File.ReadAllText(SystemBundlePath) : "";
        var path = Path.Combine(Path.GetTempPath(), $"lucid-egress-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, $"{system.TrimEnd()}\n{CertificatePem}\n", Encoding.ASCII);
        return path;
    }
}
