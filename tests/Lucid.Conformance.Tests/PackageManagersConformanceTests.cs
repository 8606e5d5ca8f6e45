using System.Diagnostics;
using Anthropic.Models.Beta.Environments;
using Lucid.Testing.Sandboxing;

namespace Lucid.Conformance.Tests;

/// <summary>
/// An environment's gem, go and cargo packages, installed from the fake package index (no internet), through the
/// official SDK. The gem source is made by the host's own <c>gem build</c> and <c>gem generate_index</c> (.ci/run
/// installs Ruby, as it installs the toolchains the server runs).
/// </summary>
[Collection(SandboxServerGroup.Name)]
public sealed class PackageManagersConformanceTests(SandboxServerFixture fixture)
{
    private Lucid.Testing.Server.LucidTestServer Server => fixture.Server;

    [Fact]
    public async Task An_environments_gem_and_go_packages_are_installed_once_and_on_its_sandboxes_path()
    {
        var gem = await PublishGemAsync(fixture.Packages, "lucid-greeting", "1.0.0", "hello from gem");
        var module = fixture.Packages.AddGo("lucid.test/greeting", "v1.0.0", "hello from go");
        var environment = await fixture.Client(Server.AlphaKey).Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "gem-and-go",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowPackageManagers = true },
                Packages = new BetaPackagesParams { Gem = ["lucid-greeting:1.0.0"], Go = ["lucid.test/greeting@v1.0.0"] },
            },
        });
        const string Use = "ruby -e 'require \"lucid_greeting\"; puts LucidGreeting::GREETING'; greeting; "
            + "touch /opt/lucid/packages/go/bin/changed 2>/dev/null || echo packages-read-only";

        var (_, first) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = Use }));
        var (_, second) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = Use }));

        foreach (var (text, isError) in new[] { Assert.Single(first), Assert.Single(second) })
        {
            Assert.False(isError, text);
            Assert.Contains("hello from gem\nhello from go\npackages-read-only", text, StringComparison.Ordinal);
        }

        Assert.Equal(1, fixture.Packages.Requests.Count(r => r == gem));
        Assert.Equal(1, fixture.Packages.Requests.Count(r => r == module));
        Assert.Single(Directory.GetDirectories(Server.PackagesRoot, environment.ID + "-*"));
    }

    [Fact]
    public async Task A_crate_that_cannot_be_installed_refuses_commands_naming_cargo_and_the_crate_and_leaves_nothing_behind()
    {
        // The fake index serves no crate registry: cargo fails to read it, or, where Debian's cargo is not installed,
        // the toolchain is reported missing. Either way the error names the manager and the crate.
        var environment = await fixture.Client(Server.AlphaKey).Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "missing-crate",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowPackageManagers = true },
                Packages = new BetaPackagesParams { Cargo = ["lucid-not-published@1.0.0"] },
            },
        });

        var (_, results) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = "echo ran" }));

        var (text, isError) = Assert.Single(results);
        Assert.True(isError);
        Assert.Contains("Installing the environment's packages failed", text, StringComparison.Ordinal);
        Assert.Matches(@"lucid: (installing the cargo packages \(lucid-not-published@1\.0\.0\) failed|cargo packages \(lucid-not-published@1\.0\.0\) cannot be installed: cargo is not installed on this server \(Debian: cargo\))", text);
        Assert.Empty(Directory.Exists(Server.PackagesRoot) ? Directory.GetDirectories(Server.PackagesRoot, environment.ID + "-*") : []);
    }

    [Fact]
    public async Task A_go_package_the_proxy_does_not_have_fails_naming_go_and_the_package()
    {
        var environment = await fixture.Client(Server.AlphaKey).Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "missing-module",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowPackageManagers = true },
                Packages = new BetaPackagesParams { Go = ["lucid.test/not-published"] },
            },
        });

        var (_, results) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = "echo ran" }));

        var (text, isError) = Assert.Single(results);
        Assert.True(isError);
        Assert.Contains("lucid.test/not-published@latest", text, StringComparison.Ordinal);
        Assert.Contains("lucid: installing the go packages (lucid.test/not-published) failed", text, StringComparison.Ordinal);
    }

    // Builds a gem with one file, lib/<name with _>.rb defining <CamelName>::GREETING, indexes it and serves the index;
    // returns the path the gem is downloaded from.
    private static async Task<string> PublishGemAsync(FakePackageIndex index, string name, string version, string greeting)
    {
        var module = string.Concat(name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        var file = name.Replace('-', '_');
        var work = Directory.CreateTempSubdirectory("lucid-gem-").FullName;
        Directory.CreateDirectory(Path.Combine(work, "lib"));
        await File.WriteAllTextAsync(Path.Combine(work, "lib", file + ".rb"), $"module {module}\n  GREETING = \"{greeting}\"\nend\n");
        await File.WriteAllTextAsync(Path.Combine(work, name + ".gemspec"), $$"""
            Gem::Specification.new do |s|
              s.name = "{{name}}"
              s.version = "{{version}}"
              s.summary = "A greeting"
              s.authors = ["Lucid"]
              s.license = "MIT"
              s.files = ["lib/{{file}}.rb"]
            end
            """);
        await RunAsync(work, "gem", "build", name + ".gemspec");
        var source = Path.Combine(work, "source");
        Directory.CreateDirectory(Path.Combine(source, "gems"));
        File.Move(Path.Combine(work, $"{name}-{version}.gem"), Path.Combine(source, "gems", $"{name}-{version}.gem"));
        await RunAsync(work, "gem", "generate_index", "--directory", source);
        index.AddGemSource(source);
        return $"/gems-source/gems/{name}-{version}.gem";
    }

    private static async Task RunAsync(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {await output}{await error}");
    }
}
