using Lucid.Agents;
using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class WebFetchDomainsTests
{
    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "docs.example.com", true)]
    [InlineData("example.com", "a.b.EXAMPLE.com.", true)]
    [InlineData("example.com", "badexample.com", false)]
    [InlineData("example.com", "example.com.evil.net", false)]
    [InlineData("docs.example.com", "example.com", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("0.0.1", "127.0.0.1", false)]
    public void A_domain_covers_itself_and_its_subdomains_and_an_address_only_itself(string domain, string host, bool covered) =>
        Assert.Equal(covered, WebFetchDomains.Covers(domain, host));

    [Theory]
    [InlineData("Docs.Example.COM.", "docs.example.com")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("https://example.com", null)]
    [InlineData("example.com:8080", null)]
    [InlineData("example.com/docs", null)]
    [InlineData("exa mple.com", null)]
    [InlineData("", null)]
    [InlineData("::1", null)]
    public void Only_a_plain_host_name_or_ipv4_address_is_an_entry(string entry, string? normalized) =>
        Assert.Equal(normalized, WebFetchDomains.Normalize(entry));

    [Fact]
    public void Allowed_domains_refuse_every_other_host_and_blocked_domains_refuse_theirs()
    {
        var allowed = new WebFetchConfig { AllowedDomains = ["example.com"] };
        var blocked = new WebFetchConfig { BlockedDomains = ["ads.example.com"] };

        Assert.Null(WebFetchDomains.Refusal(new Uri("https://docs.example.com/a"), allowed));
        Assert.Equal("its host 'other.org' is not in this agent's allowed_domains (example.com).", WebFetchDomains.Refusal(new Uri("https://other.org/"), allowed));
        Assert.Null(WebFetchDomains.Refusal(new Uri("https://example.com/a"), blocked));
        Assert.Equal("its host 'x.ads.example.com' is blocked by this agent's blocked_domains entry 'ads.example.com'.", WebFetchDomains.Refusal(new Uri("http://x.ads.example.com:8080/"), blocked));
        Assert.Null(WebFetchDomains.Refusal(new Uri("https://anything.net/"), null));
    }
}
