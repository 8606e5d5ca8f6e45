using System.Security.Cryptography.X509Certificates;
using Lucid.Sandboxing;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class EgressAuthorityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_leaf_names_its_host_chains_to_the_authority_and_is_reused_until_it_nears_expiry()
    {
        using var authority = new EgressAuthority(_time);

        var first = authority.LeafFor("api.example.com");
        var again = authority.LeafFor("API.example.com");
        _time.Advance(TimeSpan.FromDays(20));
        var renewed = authority.LeafFor("api.example.com");
        var address = authority.LeafFor("192.0.2.1");

        Assert.Same(first, again);
        Assert.NotSame(first, renewed);
        Assert.True(first.HasPrivateKey);
        Assert.Equal("api.example.com", first.GetNameInfo(X509NameType.DnsName, forIssuer: false));
        Assert.Contains("192.0.2.1", address.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false), StringComparison.Ordinal);
        Assert.True(renewed.NotAfter > first.NotAfter);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(authority.CertificatePem));
        Assert.True(chain.Build(renewed), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Its_certificate_and_bundle_hold_no_private_key()
    {
        using var authority = new EgressAuthority(_time);

        var bundle = File.ReadAllText(authority.BundlePath);

        Assert.False(X509Certificate2.CreateFromPem(authority.CertificatePem).HasPrivateKey);
        Assert.DoesNotContain("PRIVATE KEY", bundle, StringComparison.Ordinal);
        Assert.Contains(authority.CertificatePem, bundle, StringComparison.Ordinal);
    }
}
