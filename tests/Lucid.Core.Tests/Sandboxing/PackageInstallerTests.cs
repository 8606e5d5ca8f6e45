using System.Runtime.Versioning;
using Lucid.Environments;
using Lucid.Sandboxing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Core.Tests.Sandboxing;

// Installations run in a bubblewrap sandbox: Linux only.
[SupportedOSPlatform("linux")]
public sealed class PackageInstallerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-installer-").FullName;

    [Theory]
    [InlineData("gem", "ruby")]
    [InlineData("go", "golang-go")]
    [InlineData("cargo", "cargo")]
    public async Task A_manager_whose_tool_is_not_installed_fails_naming_the_tool_its_packages_and_the_debian_package(string manager, string debianPackage)
    {
        string[] listed = ["first", "second@1.0.0"];
        var packages = manager switch
        {
            "gem" => new EnvironmentPackages { Gem = listed },
            "go" => new EnvironmentPackages { Go = listed },
            _ => new EnvironmentPackages { Cargo = listed },
        };
        var root = Path.Combine(_directory, "packages");
        var installer = new PackageInstaller(new PackageOptions { Root = root }, TimeProvider.System, NullLogger<PackageInstaller>.Instance);

        var prefix = await installer.PrefixAsync("env_toolless", packages, new SandboxOptions { BubblewrapPath = SandboxWithoutTools() }, CancellationToken.None);

        Assert.False(prefix.IsSuccess);
        Assert.Equal("config.packages", prefix.Error?.Field);
        Assert.Contains(
            $"lucid: {manager} packages (first, second@1.0.0) cannot be installed: {manager} is not installed on this server (Debian: {debianPackage})",
            prefix.Error?.Message,
            StringComparison.Ordinal);
        Assert.Contains("failed (exit code 127)", prefix.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Stands for bubblewrap: runs the command it is given (what follows "--") with nothing on PATH, as a sandbox of a
    // server where no package manager is installed; the shell's builtins still work.
    private string SandboxWithoutTools()
    {
        var path = Path.Combine(_directory, "bwrap-without-tools");
        File.WriteAllText(path, "#!/bin/bash\nwhile [ \"$1\" != -- ]; do shift; done\nshift\nexec /usr/bin/env -i PATH=/nonexistent \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
