using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Lucid.Environments;
using Lucid.Results;
using Lucid.Tools;
using Microsoft.Extensions.Logging;

namespace Lucid.Sandboxing;

/// <summary>
/// Installs an environment's pip and npm packages once, into a prefix that its sessions' sandboxes mount read-only at
/// <see cref="MountPath"/>. The installation itself runs in a sandbox of its own (packages' install scripts are
/// untrusted code) whose only way out is the egress proxy, open to the package registries alone. A prefix is staged
/// beside its final place and moved there only when both managers succeeded, so a failed or interrupted installation
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
    /// The installed prefix of <paramref name="environmentId"/>'s pip and npm packages, installing them first when this
    /// list has not been installed yet; null when it lists none, an error (with the managers' output) when installing failed.
    /// </summary>
    public async Task<Result<string?>> PrefixAsync(string environmentId, EnvironmentPackages packages, SandboxOptions sandbox, CancellationToken cancellationToken)
    {
        if (packages.Pip.Count + packages.Npm.Count == 0)
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
                PackageLog.Installing(logger, environmentId, packages.Pip.Count, packages.Npm.Count);
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

    // pip installs into <root>/python, npm into <root>/node; each requirement is one quoted argument after "--".
    private string Command(string root, EnvironmentPackages packages)
    {
        var lines = new List<string> { "set -e", "export HOME=/tmp npm_config_cache=/tmp/npm-cache npm_config_update_notifier=false" };
        if (packages.Pip.Count > 0)
        {
            var index = options.PipIndexUrl is { } url ? $" --index-url {Quote(url.ToString())}" : "";
            lines.Add($"python3 -m pip install --no-cache-dir --disable-pip-version-check --no-input --no-warn-script-location --target {Quote(root + "/python")}{index} -- {string.Join(' ', packages.Pip.Select(Quote))}");
        }

        if (packages.Npm.Count > 0)
        {
            var registry = options.NpmRegistry is { } url ? $" --registry {Quote(url.ToString())}" : "";
            lines.Add($"npm install --prefix {Quote(root + "/node")} --no-audit --no-fund --no-package-lock{registry} -- {string.Join(' ', packages.Npm.Select(Quote))}");
        }

        return string.Join('\n', lines);
    }

    private static string Quote(string value) => ShellQuoting.Quote(value);

    // The prefix belongs to this exact list of requirements and registries: changing either installs a new one.
    private string Fingerprint(EnvironmentPackages packages)
    {
        var text = string.Join('\n', ["pip", .. packages.Pip, "npm", .. packages.Npm, options.PipIndexUrl?.ToString() ?? "", options.NpmRegistry?.ToString() ?? ""]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

internal static partial class PackageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Installing the packages of environment {EnvironmentId}: {Pip} pip, {Npm} npm")]
    public static partial void Installing(ILogger logger, string environmentId, int pip, int npm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed the packages of environment {EnvironmentId} in {Prefix}")]
    public static partial void Installed(ILogger logger, string environmentId, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installing the packages of environment {EnvironmentId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string environmentId, string error);
}
