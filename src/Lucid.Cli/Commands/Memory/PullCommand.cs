using System.CommandLine;
using Lucid.Cli.Memory;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory pull STORE DIR [--force]</c>: write a store into a folder of files, byte for byte.</summary>
internal static class PullCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var dir = new Argument<string>("dir") { Description = "The folder to write the store's memories into, one file per memory." };
        var force = new Option<bool>("--force") { Description = "Overwrite files changed since the last pull." };
        var pull = new Command("pull", "Write a store into a folder of files, byte for byte, to review or edit (e.g. in git).") { store, dir, force };
        pull.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => PullAsync(s, found, p.GetRequiredValue(dir), p.GetValue(force), ct), ct));
        return pull;
    }

    private static async Task<int> PullAsync(MemoryScope s, MemoryStore store, string directory, bool force, CancellationToken cancellationToken)
    {
        var folder = new MemoryFolder(directory);
        Directory.CreateDirectory(folder.Directory);
        var pulled = folder.PulledFrom(store.Id);
        var previous = pulled ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var (files, _) = folder.ReadFiles();
        if (!force)
        {
            // Pulling over local edits (or over files that are not a pull of this store) would lose them: refuse, naming them.
            var edited = MemoryFolder.Plan(files, previous).Select(e => e.Path).ToList();
            if (edited.Count > 0)
            {
                return s.Fail(pulled is not null
                    ? $"{folder.Directory} has changes not pushed ({string.Join(", ", edited.Take(5))}{(edited.Count > 5 ? ", …" : "")}); push them, or pull with --force to overwrite."
                    : $"{folder.Directory} already holds files that are not a pull of {store.Name}; pull into an empty folder, or pass --force.");
            }
        }

        var memories = await s.Memory.ReadAllAsync(s.Workspace, store.Id, "/", includeContent: true, cancellationToken);
        if (!memories.IsSuccess)
        {
            return s.Fail(memories.Error);
        }

        foreach (var memory in memories.Value)
        {
            folder.Write(memory.Path, memory.Content ?? "");
        }

        var gone = previous.Keys.Where(p => memories.Value.All(m => m.Path != p)).ToList();
        foreach (var path in gone)
        {
            File.Delete(folder.FileOf(path));
        }

        folder.WriteManifest(store.Id, memories.Value.ToDictionary(m => m.Path, m => m.ContentSha256, StringComparer.Ordinal));
        MemoryRenderer.Pulled(s.Console, store, folder.Directory, memories.Value.Count, gone.Count);
        return 0;
    }
}
