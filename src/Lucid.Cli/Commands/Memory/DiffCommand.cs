using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory diff STORE VERSION [OTHER]</c>: what a version changed, as a unified diff.</summary>
internal static class DiffCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var version = MemoryArguments.Version("version");
        var other = new Argument<string?>("other") { Description = "Compare with this version instead of the one before.", Arity = ArgumentArity.ZeroOrOne };
        var diff = new Command("diff", "Show what a version changed, as a unified diff.") { store, version, other };
        diff.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => DiffAsync(s, found, p.GetRequiredValue(version), p.GetValue(other), ct), ct));
        return diff;
    }

    private static async Task<int> DiffAsync(MemoryScope s, MemoryStore store, string versionId, string? otherId, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.History.DiffAsync(s.Workspace, store.Id, versionId, otherId, cancellationToken), diff => MemoryRenderer.Diff(s.Console, diff));
}
