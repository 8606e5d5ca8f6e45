using System.Text.RegularExpressions;
using Lucid.Results;

namespace Lucid.Environments;

/// <summary>Checks an environment's config at the edge; each error names the field.</summary>
public static partial class EnvironmentConfigRules
{
    /// <summary>The most hosts one environment may list.</summary>
    public const int MaxAllowedHosts = 256;

    /// <summary>The most packages one manager may list.</summary>
    public const int MaxPackagesPerManager = 200;

    /// <summary>Returns the first thing wrong with <paramref name="config"/>, or null.</summary>
    public static LucidError? Check(EnvironmentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var networking = config.Networking;
        if (networking.AllowedHosts.Count > MaxAllowedHosts)
        {
            return LucidError.Invalid("config.networking.allowed_hosts", $"At most {MaxAllowedHosts} hosts are allowed; got {networking.AllowedHosts.Count}.");
        }

        for (var i = 0; i < networking.AllowedHosts.Count; i++)
        {
            if (networking.AllowedHosts[i].Length > 253 || !HostPattern().IsMatch(networking.AllowedHosts[i]))
            {
                return LucidError.Invalid(
                    $"config.networking.allowed_hosts[{i}]",
                    $"'{networking.AllowedHosts[i]}' is not a host name: use a name such as api.example.com, or *.example.com for its subdomains (no scheme, port or path).");
            }
        }

        var packages = config.Packages;
        if (packages.Apt.Count > 0)
        {
            return LucidError.Invalid("config.packages.apt", "apt packages are not supported: Debian packages need root, which Lucid's sandboxes do not have; install them on the host instead.");
        }

        foreach (var (manager, listed) in new[] { ("pip", packages.Pip), ("npm", packages.Npm), ("gem", packages.Gem), ("go", packages.Go), ("cargo", packages.Cargo) })
        {
            if (listed.Count > MaxPackagesPerManager)
            {
                return LucidError.Invalid($"config.packages.{manager}", $"At most {MaxPackagesPerManager} {manager} packages are allowed; got {listed.Count}.");
            }

            for (var i = 0; i < listed.Count; i++)
            {
                if (!PackagePattern().IsMatch(listed[i]))
                {
                    return LucidError.Invalid(
                        $"config.packages.{manager}[{i}]",
                        $"'{listed[i]}' is not a package requirement: a name with an optional version (e.g. requests==2.32.3, left-pad@1.3.0, rake:13.2.1, golang.org/x/tools/cmd/stringer@v0.24.0, ripgrep@14.1.0), without spaces or shell characters.");
                }
            }
        }

        return packages.Any && !networking.Unrestricted && !networking.AllowPackageManagers
            ? LucidError.Invalid("config.networking.allow_package_managers", "Packages under limited networking need allow_package_managers set to true.")
            : null;
    }

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^@?[A-Za-z0-9][A-Za-z0-9._/-]{0,199}([=<>!~^@:]{1,2}[A-Za-z0-9.*+_-]{1,64})?$")]
    private static partial Regex PackagePattern();
}
