using Lucid.Environments;

namespace Lucid.Sandboxing;

/// <summary>Which hosts a <c>limited</c> network policy lets a sandbox reach through the egress proxy.</summary>
public sealed class EgressRules
{
    /// <summary>PyPI's hosts: its index and its file store.</summary>
    public static IReadOnlyList<string> PipRegistries { get; } = ["pypi.org", "files.pythonhosted.org"];

    /// <summary>npm's registry.</summary>
    public static IReadOnlyList<string> NpmRegistries { get; } = ["registry.npmjs.org"];

    /// <summary>RubyGems' hosts: its API and its compact index.</summary>
    public static IReadOnlyList<string> GemRegistries { get; } = ["rubygems.org", "index.rubygems.org"];

    /// <summary>Go's module proxy and its checksum database.</summary>
    public static IReadOnlyList<string> GoRegistries { get; } = ["proxy.golang.org", "sum.golang.org"];

    /// <summary>crates.io's hosts: its API, its sparse index and its downloads.</summary>
    public static IReadOnlyList<string> CargoRegistries { get; } = ["crates.io", "index.crates.io", "static.crates.io"];

    /// <summary>The public registries that <c>allow_package_managers</c> opens: those of every manager Lucid installs with.</summary>
    public static IReadOnlyList<string> PackageRegistries { get; } =
        [.. PipRegistries, .. NpmRegistries, .. GemRegistries, .. GoRegistries, .. CargoRegistries];

    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];

    /// <summary>The rules of <paramref name="policy"/>; <paramref name="mcpServerHosts"/> count when it allows MCP servers.</summary>
    public EgressRules(NetworkPolicy policy, IEnumerable<string>? mcpServerHosts = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Unrestricted = policy.Unrestricted;
        var hosts = policy.AllowedHosts
            .Concat(policy.AllowPackageManagers ? PackageRegistries : [])
            .Concat(policy.AllowMcpServers ? mcpServerHosts ?? [] : []);
        foreach (var host in hosts)
        {
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(host[1..]);
            }
            else
            {
                _exact.Add(host);
            }
        }
    }

    /// <summary>Whether every host is allowed.</summary>
    public bool Unrestricted { get; }

    /// <summary>Whether a connection to <paramref name="host"/> is allowed (a name as the client gave it, or an address).</summary>
    public bool Allows(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.');
        return Unrestricted
            || _exact.Contains(name)
            || _suffixes.Exists(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length);
    }
}
