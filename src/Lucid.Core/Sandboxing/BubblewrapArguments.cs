using System.Globalization;

namespace Lucid.Sandboxing;

/// <summary>
/// The bubblewrap command line that runs one command in a session's sandbox: new user, PID, IPC and UTS namespaces (and
/// network, unless allowed), the system directories read-only, a minimal <c>/etc</c>, a private <c>/tmp</c>, the work
/// directory read-write at <see cref="WorkspacePath"/>, an environment built from an allowlist, and hard resource limits.
/// Nothing else of the host is mounted: not the server's data directory, not other sessions' directories, not any home.
/// </summary>
internal static class BubblewrapArguments
{
    /// <summary>The loopback port inside a sandbox where the egress proxy answers.</summary>
    public const int EgressPort = 3128;

    private const string EgressSocketPath = "/run/lucid/egress.sock";

    /// <summary>Where a sandbox whose proxy substitutes secrets finds the system's roots and the proxy's authority.</summary>
    public const string CertificateBundlePath = "/run/lucid/ca-certificates.pem";

    /// <summary>The variables that point OpenSSL, curl, Python's requests and Node.js at <see cref="CertificateBundlePath"/>.</summary>
    public static readonly string[] CertificateBundleVariables = ["SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"];

    // socat (Debian's package) forwards the loopback port to the proxy's socket, and the command starts once it listens.
    private static readonly string EgressBridge =
        $"socat TCP-LISTEN:{EgressPort},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:{EgressSocketPath} 2>/dev/null & "
        + $"for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/{EgressPort}) 2>/dev/null && break; sleep 0.01; done; ";

    /// <summary>Where the session's work directory appears inside the sandbox; commands start there.</summary>
    public const string WorkspacePath = "/workspace";

    /// <summary>The command search path of a sandbox.</summary>
    public const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // The whole environment of a sandboxed command: never anything of the server's (provider keys live there).
    private static readonly (string Name, string Value)[] Variables =
    [
        ("PATH", SystemPath),
        ("HOME", "/tmp"),
        ("TMPDIR", "/tmp"),
        ("LANG", "C.UTF-8"),
        ("TERM", "dumb"),
        ("SHELL", "/bin/bash"),
    ];

    // The top-level system directories: each is a symbolic link into /usr (merged /usr) or a directory bound read-only.
    private static readonly string[] SystemDirectories = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    // What of /etc the dynamic linker, a shell and common tools read; no secrets (no shadow, ssh keys or sudoers).
    private static readonly string[] EtcEntries =
    [
        "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/passwd", "/etc/group",
        "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/services",
        "/etc/protocols", "/etc/localtime", "/etc/timezone", "/etc/ssl", "/etc/ca-certificates", "/etc/pki",
        "/etc/crypto-policies", "/etc/mime.types", "/etc/os-release", "/etc/debian_version", "/etc/gitconfig",
    ];

    private static readonly Lazy<IReadOnlyList<string>> SystemMounts = new(ReadSystemMounts);

    // Where the sandbox mounts things of its own: a work directory in one of these is not also mounted at its own path.
    // Elsewhere, /tmp (a private tmpfs mounted before it) included, it is: its parents are made in the sandbox.
    private static readonly string[] SandboxOwnTrees =
        ["/usr", "/etc", "/proc", "/dev", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", WorkspacePath, PackageInstaller.MountPath];

    private static readonly string[] SandboxOwnDirectories = ["/tmp", "/run", "/opt"];

    /// <summary>The arguments to bubblewrap that run <paramref name="command"/> with <c>bash -c</c> in the sandbox of <paramref name="workDirectory"/>.</summary>
    public static IReadOnlyList<string> For(SandboxOptions options, string workDirectory, string command, string? egressSocket = null)
    {
        var arguments = new List<string>(96) { "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts" };
        if (options.Network == NetworkAccess.None)
        {
            arguments.Add("--unshare-net");
        }

        // Killing bubblewrap kills the namespace's init, and with it every process of the sandbox.
        arguments.AddRange(["--die-with-parent", "--new-session", "--hostname", "sandbox"]);
        arguments.AddRange(SystemMounts.Value);
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        arguments.AddRange(["--size", Invariant(options.Limits.TmpBytes), "--tmpfs", "/tmp"]);
        arguments.AddRange(["--bind", workDirectory, WorkspacePath, "--chdir", WorkspacePath]);
        if (MountableAtItsOwnPath(workDirectory))
        {
            // Also where it is on the host, so the absolute paths a session used before it ran sandboxed (in its history,
            // in its scripts) still work. Only this directory appears there, not its parent's other entries.
            arguments.AddRange(["--bind", workDirectory, workDirectory]);
        }

        // A session's resources, over its work directory where they are mounted inside it.
        foreach (var mount in options.Mounts)
        {
            arguments.AddRange([mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, mount.SandboxPath]);
        }

        // bubblewrap's own environment is cleared by its caller but for the vaults' variables, which it passes on.
        if (options.Secrets.Count == 0)
        {
            arguments.Add("--clearenv");
        }

        foreach (var (name, value) in Variables)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        if (options.PackagesDirectory is { } packages)
        {
            arguments.AddRange(["--ro-bind", packages, PackageInstaller.MountPath]);
            foreach (var (name, value) in PackageVariables(PackageInstaller.MountPath))
            {
                arguments.AddRange(["--setenv", name, value]);
            }
        }

        if (egressSocket is not null)
        {
            // The only way out: the proxy's socket, reached through a loopback port that a bridge inside opens.
            arguments.AddRange(["--bind", egressSocket, EgressSocketPath]);
            foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy" })
            {
                arguments.AddRange(["--setenv", name, $"http://127.0.0.1:{EgressPort}"]);
            }

            command = EgressBridge + command;
            if (options.Secrets.Count > 0)
            {
                // The proxy may end TLS with its own authority's certificates: the sandbox trusts them, besides the system's roots.
                arguments.AddRange(["--ro-bind", options.Authority.BundlePath, CertificateBundlePath]);
                foreach (var name in CertificateBundleVariables)
                {
                    arguments.AddRange(["--setenv", name, CertificateBundlePath]);
                }
            }
        }

        arguments.AddRange(["--", "/bin/bash", "-c", LimitsPrelude(options.Limits), "lucid-sandbox", command]);
        return arguments;
    }

    // A work directory is also mounted at its own path unless that path is the root or one of the sandbox's own.
    private static bool MountableAtItsOwnPath(string workDirectory)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory));
        return path.Length > 1
            && !SandboxOwnDirectories.Contains(path, StringComparer.Ordinal)
            && !SandboxOwnTrees.Any(own => path == own || path.StartsWith(own + "/", StringComparison.Ordinal));
    }

    /// <summary>The variables that put an installed package prefix (<paramref name="prefix"/>, as the command sees it) to use.</summary>
    public static IEnumerable<(string Name, string Value)> PackageVariables(string prefix) =>
    [
        ("PATH", $"{prefix}/python/bin:{prefix}/node/node_modules/.bin:{prefix}/gem/bin:{prefix}/go/bin:{prefix}/cargo/bin:{SystemPath}"),
        ("PYTHONPATH", $"{prefix}/python"),
        ("NODE_PATH", $"{prefix}/node/node_modules"),
        ("GEM_PATH", $"{prefix}/gem"),
    ];

    // Sets the limits as hard limits (no -S/-H sets both), then replaces itself with the command's own shell.
    private static string LimitsPrelude(SandboxLimits limits) =>
        $"ulimit -c 0 -t {Invariant(limits.CpuSeconds)} -d {Invariant(Kibibytes(limits.MemoryBytes))} -u {Invariant(limits.Processes)} " +
        $"-f {Invariant(Kibibytes(limits.FileSizeBytes))} || exit 126; exec /bin/bash -c -- \"$1\"";

    private static long Kibibytes(long bytes) => Math.Max(1, bytes / 1024);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> ReadSystemMounts()
    {
        var mounts = new List<string> { "--ro-bind", "/usr", "/usr" };
        foreach (var path in SystemDirectories)
        {
            var directory = new DirectoryInfo(path);
            if (directory.LinkTarget is { } target)
            {
                mounts.AddRange(["--symlink", target, path]);
            }
            else if (directory.Exists)
            {
                mounts.AddRange(["--ro-bind", path, path]);
            }
        }

        foreach (var entry in EtcEntries)
        {
            mounts.AddRange(["--ro-bind-try", entry, entry]);
        }

        return mounts;
    }
}
