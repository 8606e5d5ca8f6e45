using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Lucid.Environments;
using Lucid.Results;
using Lucid.Tools;
using Microsoft.Extensions.Logging;

namespace Lucid.Sandboxing;

/// <summary>
/// Installs an environment's pip, npm, gem, go and cargo packages once, into a prefix that its sessions' sandboxes mount read-only at
/// <see cref="MountPath"/>. The installation itself runs in a sandbox of its own (packages' install scripts are
/// untrusted code) whose only way out is the egress proxy, open to the package registries alone. A prefix is staged
/// beside its final place and moved there only when every manager succeeded, so a failed or interrupted installation
/// leaves nothing half-installed; the next session in the environment tries again.
/// </summary>
internal sealed class PackageInstaller(PackageOptions options, TimeProvider time, ILogger<PackageInstaller> logger)
{
    /// <summary>Where an environment's packages appear inside its sandboxes.</summary>
    public const string MountPath = "/opt/lucid/packages";

    private const int MaxOutputChars = 20_000;
    private const int OutputShownOnFailure = 2_000;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>
    /// The installed prefix of <paramref name="environmentId"/>'s packages, installing them first when this
    /// list has not been installed yet; null when it lists none, an error (with the managers' output) when installing failed.
    /// </summary>
    public async Task<Result<string?>> PrefixAsync(string environmentId, EnvironmentPackages packages, SandboxOptions sandbox, CancellationToken cancellationToken)
    {
        if (!packages.Any)
        {
            return Result<string?>.Ok(null);
        }

        var prefix = Path.Combine(options.Root, $"{environmentId}-{Fingerprint(packages)}");
        if (Directory.Exists(prefix))
        {
            return prefix;
        }

        var gate = _gates.GetOrAdd(prefix, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(prefix))
            {
                return prefix;
            }

            var staging = Directory.CreateDirectory($"{prefix}.installing-{Guid.NewGuid():N}").FullName;
            try
            {
                PackageLog.Installing(logger, environmentId, packages.Pip.Count, packages.Npm.Count, packages.Gem.Count, packages.Go.Count, packages.Cargo.Count);
                var installed = await InstallAsync(staging, packages, sandbox, cancellationToken);
                if (installed is not null)
                {
                    PackageLog.Failed(logger, environmentId, installed.Message);
                    return installed;
                }

                Directory.Move(staging, prefix);
                PackageLog.Installed(logger, environmentId, prefix);
                return prefix;
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<LucidError?> InstallAsync(string staging, EnvironmentPackages packages, SandboxOptions sandbox, CancellationToken cancellationToken)
    {
        if (sandbox.Isolation == ProcessIsolation.Refused)
        {
            return LucidError.Invalid("config.packages", $"The environment's packages cannot be installed: this server cannot run commands in a sandbox ({sandbox.RefusalReason ?? "no sandbox is available"}).");
        }

        // Sandboxed, the staging directory is the installation's work directory; unsandboxed, it is used where it is.
        var root = sandbox.Isolation == ProcessIsolation.Sandboxed ? BubblewrapArguments.WorkspacePath : staging;
        var installer = sandbox with
        {
            Network = NetworkAccess.None,
            Egress = new EgressRules(new NetworkPolicy { AllowedHosts = options.RegistryHosts }),
            PackagesDirectory = null,
        };
        var prepared = SandboxedCommand.Prepare(installer, staging, Command(root, packages), "Installing packages", logger);
        if (!prepared.IsSuccess)
        {
            return prepared.Error;
        }

        await using var process = prepared.Value;
        var run = await ShellCommand.RunAsync(process.Start, options.InstallTimeout, MaxOutputChars, time, cancellationToken);
        var output = run.Output.Length > OutputShownOnFailure ? "…" + run.Output[^OutputShownOnFailure..] : run.Output;
        return run.TimedOut
            ? LucidError.Invalid("config.packages", $"Installing the environment's packages took longer than {options.InstallTimeout.TotalMinutes:0.#} minutes and was stopped. Output:\n{output}")
            : run.ExitCode != 0
                ? LucidError.Invalid("config.packages", $"Installing the environment's packages failed (exit code {run.ExitCode}). Output:\n{output}")
                : null;
    }

    // Each manager installs into its own directory under <root>, each requirement one quoted argument (after "--" where
    // the manager takes it; gem does not, and a requirement never starts with "-" anyway). A
    // missing toolchain or a failed manager ends the script with a last line naming the manager and its packages.
    private string Command(string root, EnvironmentPackages packages)
    {
        var lines = new List<string>
        {
            "set -e",
            "export HOME=/tmp npm_config_cache=/tmp/npm-cache npm_config_update_notifier=false GOPATH=/tmp/go GOCACHE=/tmp/go-cache "
                + $"GOTOOLCHAIN=local CARGO_HOME=/tmp/cargo GOBIN={Quote(root + "/go/bin")}",
        };
        lines.Add(options.GoProxy is { } goProxy ? $"export GOPROXY={Quote(goProxy.OriginalString)} GOSUMDB=off" : "export GOPROXY=https://proxy.golang.org");

        foreach (var manager in Managers(root))
        {
            var listed = manager.Listed(packages);
            if (listed.Count == 0)
            {
                continue;
            }

            var names = Quote(string.Join(", ", listed));
            lines.Add($"command -v {manager.Tool} >/dev/null || {{ echo \"lucid: {manager.Name} packages (\"{names}\") cannot be installed: {manager.Tool} is not installed on this server (Debian: {manager.DebianPackage})\"; exit 127; }}");
            lines.Add($"{manager.Install} {string.Join(' ', listed.Select(manager.Requirement).Select(Quote))} || {{ echo \"lucid: installing the {manager.Name} packages (\"{names}\") failed\"; exit 1; }}");
        }

        return string.Join('\n', lines);
    }

    private IEnumerable<PackageManager> Managers(string root)
    {
        var index = options.PipIndexUrl is { } pipIndex ? $" --index-url {Quote(pipIndex.OriginalString)}" : "";
        yield return new("pip", "python3", "python3-pip", p => p.Pip,
            $"python3 -m pip install --no-cache-dir --disable-pip-version-check --no-input --no-warn-script-location --target {Quote(root + "/python")}{index} --");
        var registry = options.NpmRegistry is { } npmRegistry ? $" --registry {Quote(npmRegistry.OriginalString)}" : "";
        yield return new("npm", "npm", "npm", p => p.Npm, $"npm install --prefix {Quote(root + "/node")} --no-audit --no-fund --no-package-lock{registry} --");
        var source = options.GemSource is { } gemSource ? $" --clear-sources --source {Quote(gemSource.OriginalString)}" : "";
        yield return new("gem", "gem", "ruby", p => p.Gem,
            $"gem install --no-document --no-user-install --install-dir {Quote(root + "/gem")} --bindir {Quote(root + "/gem/bin")}{source}");
        // go install needs a version outside a module: a bare module path means its latest.
        yield return new("go", "go", "golang-go", p => p.Go, "go install --", r => r.Contains('@', StringComparison.Ordinal) ? r : r + "@latest");
        var mirror = options.CargoRegistry is { } cargoRegistry
            ? $" --config {Quote("source.crates-io.replace-with=\"lucid-mirror\"")} --config {Quote($"source.lucid-mirror.registry=\"{cargoRegistry.OriginalString}\"")}"
            : "";
        yield return new("cargo", "cargo", "cargo", p => p.Cargo, $"cargo install --root {Quote(root + "/cargo")}{mirror} --");
    }

    private static string Quote(string value) => ShellQuoting.Quote(value);

    // The prefix belongs to this exact list of requirements and registries: changing either installs a new one.
    private string Fingerprint(EnvironmentPackages packages)
    {
        var text = string.Join('\n', [
            "pip", .. packages.Pip, "npm", .. packages.Npm, "gem", .. packages.Gem, "go", .. packages.Go, "cargo", .. packages.Cargo,
            .. new[] { options.PipIndexUrl, options.NpmRegistry, options.GemSource, options.GoProxy, options.CargoRegistry }.Select(u => u?.OriginalString ?? "")]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

internal static partial class PackageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Installing the packages of environment {EnvironmentId}: {Pip} pip, {Npm} npm, {Gem} gem, {Go} go, {Cargo} cargo")]
    public static partial void Installing(ILogger logger, string environmentId, int pip, int npm, int gem, int go, int cargo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed the packages of environment {EnvironmentId} in {Prefix}")]
    public static partial void Installed(ILogger logger, string environmentId, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installing the packages of environment {EnvironmentId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string environmentId, string error);
}
