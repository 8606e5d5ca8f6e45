using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory stores [-a]</c>: the stores with their mount paths, sizes and descriptions; <c>create</c> and <c>archive</c> below it.</summary>
internal static class StoresCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Include archived stores." };
        var stores = new Command("stores", "List the memory stores.") { all, CreateStoreCommand.Create(verb), ArchiveStoreCommand.Create(verb) };
        stores.SetAction((p, ct) => verb.RunAsync(p, s => ListAsync(s, p.GetValue(all), ct), ct));
        return stores;
    }

    private static async Task<int> ListAsync(MemoryScope s, bool all, CancellationToken cancellationToken)
    {
        var page = await s.Memory.Storage.ListMemoryStoresAsync(s.Workspace, new MemoryStoreQuery { IncludeArchived = all }, new PageRequest(100), cancellationToken);
        var rows = new List<(MemoryStore, int, long)>(page.Items.Count);
        foreach (var store in page.Items)
        {
            var (count, bytes) = await s.Memory.Storage.MemoryTotalsAsync(store.Id, cancellationToken);
            rows.Add((store, count, bytes));
        }

        MemoryRenderer.Stores(s.Console, rows);
        return 0;
    }
}
