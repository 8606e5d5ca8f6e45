namespace Lucid.Sandboxing;

/// <summary>Where environments' packages are installed, and from which registries.</summary>
public sealed record PackageOptions
{
    /// <summary>
    /// The directory that holds one installed prefix per environment and package list. Defaults to
    /// <c>lucid-packages</c> under the system's temp directory; the CLI and server use <c>$LUCID_HOME/packages</c>.
    /// </summary>
    public string Root { get; init; } = Path.Combine(Path.GetTempPath(), "lucid-packages");

    /// <summary>The Python package index pip installs from (a PEP 503 simple index). Null for PyPI.</summary>
    public Uri? PipIndexUrl { get; init; }

    /// <summary>The npm registry npm installs from. Null for registry.npmjs.org.</summary>
    public Uri? NpmRegistry { get; init; }

    /// <summary>The gem source gem installs from (a RubyGems-compatible server). Null for rubygems.org.</summary>
    public Uri? GemSource { get; init; }

    /// <summary>
    /// The Go module proxy (GOPROXY protocol) go installs from. Null for proxy.golang.org with the checksum database
    /// sum.golang.org; a configured proxy is trusted as the only source, without the checksum database.
    /// </summary>
    public Uri? GoProxy { get; init; }

    /// <summary>
    /// The crate registry index cargo installs from, in place of crates.io (a git index URL, or <c>sparse+https://…</c>
    /// when the system's cargo supports sparse indexes). Null for crates.io.
    /// </summary>
    public Uri? CargoRegistry { get; init; }

    /// <summary>How long one environment's installation may take. Defaults to 10 minutes.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The hosts an installation may reach: each manager's configured registry, or its public one.</summary>
    public IReadOnlyList<string> RegistryHosts =>
    [
        .. HostsOf(PipIndexUrl, EgressRules.PipRegistries)
            .Concat(HostsOf(NpmRegistry, EgressRules.NpmRegistries))
            .Concat(HostsOf(GemSource, EgressRules.GemRegistries))
            .Concat(HostsOf(GoProxy, EgressRules.GoRegistries))
            .Concat(HostsOf(CargoRegistry, [.. EgressRules.CargoRegistries, CratesIoGitIndexHost]))
            .Distinct(StringComparer.OrdinalIgnoreCase),
    ];

    // cargo before 1.70 reads crates.io's index from a git repository on GitHub. Only installations reach it, never a
    // session's commands: GitHub takes uploads.
    private const string CratesIoGitIndexHost = "github.com";

    private static IEnumerable<string> HostsOf(Uri? configured, IReadOnlyList<string> publicHosts) =>
        configured is null ? publicHosts : [configured.Host];
}
