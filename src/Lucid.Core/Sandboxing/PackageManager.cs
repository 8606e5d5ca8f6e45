using Lucid.Environments;

namespace Lucid.Sandboxing;

/// <summary>
/// One package manager as <see cref="PackageInstaller"/> runs it: its <paramref name="Name"/> in the API, the
/// <paramref name="Tool"/> it runs (from <paramref name="DebianPackage"/>), the requirements it takes from a package list,
/// and the <paramref name="Install"/> command line they follow, each rewritten by <paramref name="Rewrite"/> when the
/// manager needs it.
/// </summary>
internal sealed record PackageManager(
    string Name,
    string Tool,
    string DebianPackage,
    Func<EnvironmentPackages, IReadOnlyList<string>> Listed,
    string Install,
    Func<string, string>? Rewrite = null)
{
    /// <summary>The argument the manager gets for <paramref name="listed"/>.</summary>
    public string Requirement(string listed) => Rewrite is null ? listed : Rewrite(listed);
}
