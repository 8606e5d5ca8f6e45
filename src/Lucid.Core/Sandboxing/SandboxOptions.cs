namespace Lucid.Sandboxing;

/// <summary>How the processes a session starts are confined: whether at all, their network, and their limits.</summary>
public sealed record SandboxOptions
{
    /// <summary>
    /// Whether processes run sandboxed, are refused, or run unconfined. Defaults to <see cref="ProcessIsolation.Sandboxed"/>;
    /// hosts check at startup that a sandbox can be made (<see cref="SandboxProbe"/>) and set <see cref="ProcessIsolation.Refused"/> when not.
    /// </summary>
    public ProcessIsolation Isolation { get; init; } = ProcessIsolation.Sandboxed;

    /// <summary>With <see cref="ProcessIsolation.Refused"/>: why no sandbox can be made, for the errors the refused tools return.</summary>
    public string? RefusalReason { get; init; }

    /// <summary>What network sandboxed processes may reach. Defaults to none.</summary>
    public NetworkAccess Network { get; init; } = NetworkAccess.None;

    /// <summary>
    /// With no network of its own (<see cref="NetworkAccess.None"/>): the hosts a sandbox may still reach (every host,
    /// when <see cref="EgressRules.Unrestricted"/>), through the egress proxy that each command gets on
    /// <c>127.0.0.1:3128</c> (<c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>); null for none.
    /// </summary>
    public EgressRules? Egress { get; init; }

    /// <summary>
    /// The installed prefix of the environment's pip and npm packages (see <see cref="PackageInstaller"/>), mounted
    /// read-only at <c>/opt/lucid/packages</c> and put on <c>PATH</c>, <c>PYTHONPATH</c> and <c>NODE_PATH</c>; null for none.
    /// </summary>
    public string? PackagesDirectory { get; init; }

    /// <summary>Why the environment's packages could not be installed; commands are refused with it until they are.</summary>
    public string? PackagesFailure { get; init; }

    /// <summary>
    /// The session's environment-variable credentials. In a sandbox each variable holds its placeholder, which the
    /// egress proxy replaces with the secret in requests to the credential's hosts; the secret itself never enters the
    /// sandbox. Unsandboxed (<see cref="ProcessIsolation.Unsandboxed"/>), with no proxy in the way, the variable holds the
    /// secret. The variables reach the process through bubblewrap's own environment, never its command line.
    /// </summary>
    public IReadOnlyList<SandboxSecret> Secrets { get; init; } = [];

    /// <summary>The authority the egress proxy intercepts TLS with, for <see cref="Secrets"/>. Defaults to the server's.</summary>
    public EgressAuthority Authority { get; init; } = EgressAuthority.Shared;

    /// <summary>Resource limits of each sandboxed command.</summary>
    public SandboxLimits Limits { get; init; } = new();

    /// <summary>The session's resources and outputs directory: host paths bound into the sandbox, after its work directory.</summary>
    public IReadOnlyList<SandboxMount> Mounts { get; init; } = [];

    /// <summary>The bubblewrap executable: a name looked up on <c>PATH</c>, or a path. Defaults to <c>bwrap</c>.</summary>
    public string BubblewrapPath { get; init; } = "bwrap";
}
