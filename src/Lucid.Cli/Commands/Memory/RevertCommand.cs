using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory revert STORE VERSION</c>: put a memory back as it was at a version, as a new version.</summary>
internal static class RevertCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var version = MemoryArguments.Version("version");
        var revert = new Command("revert", "Put a memory back as it was at a version (recreating it if it was deleted); the revert is a new version.") { store, version };
        revert.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => RevertAsync(s, found, p.GetRequiredValue(version), ct), ct));
        return revert;
    }

    private static async Task<int> RevertAsync(MemoryScope s, MemoryStore store, string versionId, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.History.RevertMemoryAsync(s.Workspace, store.Id, versionId, null, s.Actor, cancellationToken), revert => MemoryRenderer.Reverted(s.Console, revert));
}
