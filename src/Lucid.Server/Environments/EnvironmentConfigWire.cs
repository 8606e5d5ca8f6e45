using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Environments;
using Lucid.Server.Http;

namespace Lucid.Server.Environments;

/// <summary>
/// An environment's <c>config</c> on the wire (<c>BetaCloudConfigParams</c> / <c>BetaCloudConfig</c>, or
/// <c>self_hosted</c>). On update, an omitted field keeps its value, as the API documents.
/// </summary>
internal static class EnvironmentConfigWire
{
    /// <summary>Reads <c>config</c> over <paramref name="current"/> (the default config when creating).</summary>
    public static EnvironmentConfig Read(WireObject config, EnvironmentConfig current)
    {
        var type = config.RequiredString("type", 32);
        if (type == "self_hosted")
        {
            return new EnvironmentConfig { SelfHosted = true };
        }

        if (type != "cloud")
        {
            throw RequestException.Invalid(config.PathOf("type"), $"config.type must be cloud or self_hosted, not '{type}'.");
        }

        return current with
        {
            SelfHosted = false,
            Networking = config.Object("networking") is { } networking ? ReadNetworking(networking, current.Networking) : current.Networking,
            Packages = config.Object("packages") is { } packages ? ReadPackages(packages, current.Packages) : current.Packages,
        };
    }

    public static JsonObject ToJson(EnvironmentConfig config) => config.SelfHosted
        ? new JsonObject { ["type"] = "self_hosted" }
        : new JsonObject
        {
            ["type"] = "cloud",
            ["networking"] = config.Networking.Unrestricted
                ? new JsonObject { ["type"] = "unrestricted" }
                : new JsonObject
                {
                    ["type"] = "limited",
                    ["allowed_hosts"] = Strings(config.Networking.AllowedHosts),
                    ["allow_package_managers"] = config.Networking.AllowPackageManagers,
                    ["allow_mcp_servers"] = config.Networking.AllowMcpServers,
                },
            ["packages"] = new JsonObject
            {
                ["type"] = "packages",
                ["apt"] = Strings(config.Packages.Apt),
                ["cargo"] = Strings(config.Packages.Cargo),
                ["gem"] = Strings(config.Packages.Gem),
                ["go"] = Strings(config.Packages.Go),
                ["npm"] = Strings(config.Packages.Npm),
                ["pip"] = Strings(config.Packages.Pip),
            },
        };

    // Limited over limited keeps what is omitted; switching from unrestricted starts from nothing allowed.
    private static NetworkPolicy ReadNetworking(WireObject networking, NetworkPolicy current)
    {
        var type = networking.RequiredString("type", 32);
        if (type == "unrestricted")
        {
            return new NetworkPolicy { Unrestricted = true };
        }

        if (type != "limited")
        {
            throw RequestException.Invalid(networking.PathOf("type"), $"config.networking.type must be limited or unrestricted, not '{type}'.");
        }

        var from = current.Unrestricted ? NetworkPolicy.Nothing : current;
        return new NetworkPolicy
        {
            AllowedHosts = networking.Has("allowed_hosts") ? StringList(networking, "allowed_hosts", EnvironmentConfigRules.MaxAllowedHosts) : from.AllowedHosts,
            AllowPackageManagers = networking.Bool("allow_package_managers") ?? from.AllowPackageManagers,
            AllowMcpServers = networking.Bool("allow_mcp_servers") ?? from.AllowMcpServers,
        };
    }

    private static EnvironmentPackages ReadPackages(WireObject packages, EnvironmentPackages current)
    {
        if (packages.String("type", 32) is { } type && type != "packages")
        {
            throw RequestException.Invalid(packages.PathOf("type"), $"config.packages.type must be packages, not '{type}'.");
        }

        IReadOnlyList<string> List(string manager, IReadOnlyList<string> was) =>
            packages.Has(manager) ? StringList(packages, manager, EnvironmentConfigRules.MaxPackagesPerManager) : was;

        return new EnvironmentPackages
        {
            Apt = List("apt", current.Apt),
            Cargo = List("cargo", current.Cargo),
            Gem = List("gem", current.Gem),
            Go = List("go", current.Go),
            Npm = List("npm", current.Npm),
            Pip = List("pip", current.Pip),
        };
    }

    private static List<string> StringList(WireObject owner, string name, int maxItems) =>
        [.. owner.Array(name, maxItems).Select(item => item.Item.ValueKind == JsonValueKind.String
            ? item.Item.GetString() ?? ""
            : throw RequestException.Invalid(item.Path, $"{item.Path} must be a string, not {WireObject.Describe(item.Item)}."))];

    private static JsonArray Strings(IReadOnlyList<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
