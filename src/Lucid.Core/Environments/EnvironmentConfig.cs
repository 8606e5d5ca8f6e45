namespace Lucid.Environments;

/// <summary>
/// What an environment's sessions may reach and which packages their sandbox gets: the API's <c>cloud</c> config
/// (<c>networking</c>, <c>packages</c>), or <c>self_hosted</c>. With no config, an environment gets
/// <see cref="Default"/>: no network at all, which is stricter than the hosted API's default.
/// </summary>
public sealed record EnvironmentConfig
{
    /// <summary>No network and no packages: what an environment created without a config gets.</summary>
    public static EnvironmentConfig Default { get; } = new();

    /// <summary>Whether the client declared the environment <c>self_hosted</c>: it keeps Lucid's defaults.</summary>
    public bool SelfHosted { get; init; }

    /// <summary>What the sandbox's processes may reach.</summary>
    public NetworkPolicy Networking { get; init; } = NetworkPolicy.Nothing;

    /// <summary>Packages the sandbox gets, per package manager.</summary>
    public EnvironmentPackages Packages { get; init; } = EnvironmentPackages.None;
}

/// <summary>
/// The network an environment's sandboxes get: <c>unrestricted</c>, or <c>limited</c> to the listed hosts (and, when
/// allowed, the public package registries and the agent's MCP servers). Limited with nothing allowed is no network.
/// </summary>
public sealed record NetworkPolicy
{
    /// <summary>Limited, with nothing allowed: no network.</summary>
    public static NetworkPolicy Nothing { get; } = new();

    /// <summary>Any host.</summary>
    public bool Unrestricted { get; init; }

    /// <summary>Hosts the sandbox may reach when limited (a name, or <c>*.</c> and a domain for its subdomains).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Whether the public package registries (PyPI, npm, RubyGems, the Go proxy, crates.io) are reachable when limited.</summary>
    public bool AllowPackageManagers { get; init; }

    /// <summary>Whether the agent's MCP servers are reachable when limited.</summary>
    public bool AllowMcpServers { get; init; }

    /// <summary>Whether the policy lets nothing out.</summary>
    public bool AllowsNothing => !Unrestricted && AllowedHosts.Count == 0 && !AllowPackageManagers && !AllowMcpServers;
}

/// <summary>Packages per manager, each as the manager writes a requirement (<c>requests==2.32.3</c>, <c>left-pad@1.3.0</c>, <c>rake:13.2.1</c>).</summary>
public sealed record EnvironmentPackages
{
    /// <summary>No packages.</summary>
    public static EnvironmentPackages None { get; } = new();

    /// <summary>Python packages.</summary>
    public IReadOnlyList<string> Pip { get; init; } = [];

    /// <summary>Node.js packages.</summary>
    public IReadOnlyList<string> Npm { get; init; } = [];

    /// <summary>Debian packages (refused: they need root).</summary>
    public IReadOnlyList<string> Apt { get; init; } = [];

    /// <summary>Rust crates (<c>cargo install</c>).</summary>
    public IReadOnlyList<string> Cargo { get; init; } = [];

    /// <summary>Ruby gems.</summary>
    public IReadOnlyList<string> Gem { get; init; } = [];

    /// <summary>Go packages (<c>go install</c>).</summary>
    public IReadOnlyList<string> Go { get; init; } = [];

    /// <summary>Whether any manager lists a package.</summary>
    public bool Any => Pip.Count + Npm.Count + Apt.Count + Cargo.Count + Gem.Count + Go.Count > 0;
}
