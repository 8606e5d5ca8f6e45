using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory stores archive STORE</c>.</summary>
internal static class ArchiveStoreCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var archive = new Command("archive", "Archive a store: it stays readable, but can no longer change or be mounted by new sessions.") { store };
        archive.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => ArchiveAsync(s, found, ct), ct));
        return archive;
    }

    private static async Task<int> ArchiveAsync(MemoryScope s, MemoryStore store, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.ArchiveStoreAsync(s.Workspace, store.Id, cancellationToken), _ => MemoryRenderer.StoreArchived(s.Console, store));
}
