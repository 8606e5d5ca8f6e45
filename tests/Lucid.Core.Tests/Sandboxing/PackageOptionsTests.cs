using Lucid.Sandboxing;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class PackageOptionsTests
{
    [Fact]
    public void Installations_reach_every_public_registry_and_crates_ios_git_index_by_default()
    {
        var hosts = new PackageOptions().RegistryHosts;

        Assert.Equal(
            ["pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "rubygems.org", "index.rubygems.org", "proxy.golang.org", "sum.golang.org",
             "crates.io", "index.crates.io", "static.crates.io", "github.com"],
            hosts);
    }

    [Fact]
    public void A_configured_mirror_replaces_only_its_managers_public_hosts()
    {
        var hosts = new PackageOptions
        {
            GoProxy = new Uri("http://athens.internal:3000/"),
            CargoRegistry = new Uri("sparse+https://crates.internal/index/"),
        }.RegistryHosts;

        Assert.Contains("athens.internal", hosts);
        Assert.Contains("crates.internal", hosts);
        Assert.Contains("rubygems.org", hosts);
        Assert.DoesNotContain("proxy.golang.org", hosts);
        Assert.DoesNotContain("sum.golang.org", hosts);
        Assert.DoesNotContain("github.com", hosts);
        Assert.DoesNotContain("index.crates.io", hosts);
    }
}
