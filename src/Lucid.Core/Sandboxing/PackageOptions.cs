namespace Lucid.Sandboxing;

/// <summary>Where environments' pip and npm packages are installed, and from which registries.</summary>
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

    /// <summary>How long one environment's installation may take. Defaults to 10 minutes.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The hosts an installation may reach: the configured registries, or the public ones.</summary>
    public IReadOnlyList<string> RegistryHosts =>
        PipIndexUrl is null && NpmRegistry is null
            ? EgressRules.PackageRegistries
            : [.. new[] { PipIndexUrl, NpmRegistry }.Select(u => u?.Host).OfType<string>()
                .Concat(PipIndexUrl is null ? ["pypi.org", "files.pythonhosted.org"] : [])
                .Concat(NpmRegistry is null ? ["registry.npmjs.org"] : [])
                .Distinct(StringComparer.OrdinalIgnoreCase)];
}
