using Anthropic.Exceptions;
using Anthropic.Models.Beta.Environments;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class EnvironmentConfigConformanceTests(LucidServerFixture server)
{
    [Fact]
    public async Task An_environment_without_a_config_gets_no_network()
    {
        var created = await server.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "default" });

        Assert.True(created.Config.TryPickBetaCloud(out var cloud));
        Assert.True(cloud.Networking.TryPickBetaLimitedNetwork(out var limited));
        Assert.Empty(limited.AllowedHosts);
        Assert.False(limited.AllowPackageManagers);
        Assert.False(limited.AllowMcpServers);
    }

    [Fact]
    public async Task Networking_and_packages_are_stored_returned_and_kept_when_an_update_omits_them()
    {
        var client = server.Alpha;
        var created = await client.Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "limited",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowedHosts = ["api.example.com", "*.internal.example"], AllowPackageManagers = true },
                Packages = new BetaPackagesParams
                {
                    Pip = ["requests==2.32.3"], Npm = ["left-pad@1.3.0"], Gem = ["rake:13.2.1"], Go = ["golang.org/x/tools/cmd/stringer@v0.24.0"], Cargo = ["ripgrep@14.1.0"],
                },
            },
        });

        // Only the name changes: the config stays as it was.
        await client.Beta.Environments.Update(created.ID, new EnvironmentUpdateParams { Name = "renamed" });
        var read = await client.Beta.Environments.Retrieve(created.ID);

        Assert.Equal("renamed", read.Name);
        Assert.True(read.Config.TryPickBetaCloud(out var cloud));
        Assert.True(cloud.Networking.TryPickBetaLimitedNetwork(out var limited));
        Assert.Equal(["api.example.com", "*.internal.example"], limited.AllowedHosts);
        Assert.True(limited.AllowPackageManagers);
        Assert.Equal(["requests==2.32.3"], cloud.Packages.Pip);
        Assert.Equal(["left-pad@1.3.0"], cloud.Packages.Npm);
        Assert.Equal(["rake:13.2.1"], cloud.Packages.Gem);
        Assert.Equal(["golang.org/x/tools/cmd/stringer@v0.24.0"], cloud.Packages.Go);
        Assert.Equal(["ripgrep@14.1.0"], cloud.Packages.Cargo);

        // Networking alone changes to unrestricted; the packages stay.
        var opened = await client.Beta.Environments.Update(created.ID, new EnvironmentUpdateParams
        {
            Config = new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() },
        });
        Assert.True(opened.Config.TryPickBetaCloud(out var openCloud));
        Assert.True(openCloud.Networking.TryPickBetaUnrestrictedNetwork(out _));
        Assert.Equal(["requests==2.32.3"], openCloud.Packages.Pip);
    }

    [Fact]
    public async Task A_config_Lucid_cannot_honour_is_a_400_naming_the_field_and_stores_nothing()
    {
        var client = server.Alpha;
        var before = await server.SnapshotAsync();

        async Task<string> Rejected(BetaCloudConfigParams config) =>
            (await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "bad", Config = config }))).Message;

        Assert.Contains("config.packages.apt", await Rejected(new BetaCloudConfigParams
        {
            Networking = new BetaUnrestrictedNetwork(),
            Packages = new BetaPackagesParams { Apt = ["curl"] },
        }), StringComparison.Ordinal);
        Assert.Contains("config.networking.allow_package_managers", await Rejected(new BetaCloudConfigParams
        {
            Networking = new BetaLimitedNetworkParams { AllowedHosts = ["pypi.org"] },
            Packages = new BetaPackagesParams { Pip = ["requests"] },
        }), StringComparison.Ordinal);
        Assert.Contains("config.networking.allowed_hosts[0]", await Rejected(new BetaCloudConfigParams
        {
            Networking = new BetaLimitedNetworkParams { AllowedHosts = ["https://example.com/path"] },
        }), StringComparison.Ordinal);
        Assert.Contains("config.packages.pip[0]", await Rejected(new BetaCloudConfigParams
        {
            Networking = new BetaUnrestrictedNetwork(),
            Packages = new BetaPackagesParams { Pip = ["requests; rm -rf /"] },
        }), StringComparison.Ordinal);
        Assert.Contains("config.packages.go[1]", await Rejected(new BetaCloudConfigParams
        {
            Networking = new BetaUnrestrictedNetwork(),
            Packages = new BetaPackagesParams { Go = ["example.com/tool@v1.0.0", "example.com/tool@$(id)"] },
        }), StringComparison.Ordinal);

        Assert.Equal(before, await server.SnapshotAsync());
    }
}
