using System.CommandLine;
using Lucid.Cli.Memory;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary>
/// <c>lucid memory push DIR STORE [--dry-run]</c>: apply a pulled folder's changes to a store all or nothing, each
/// conditioned on the hash it was pulled at.
/// </summary>
internal static class PushCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var dir = new Argument<string>("dir") { Description = "A folder written by lucid memory pull (or any folder of markdown files)." };
        var store = MemoryArguments.Store();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the changes without applying them." };
        var push = new Command("push", "Apply a folder's changes to a store: shows the diff, then applies it all or nothing, refusing if the store changed meanwhile.") { dir, store, dryRun };
        push.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => PushAsync(s, p.GetRequiredValue(dir), found, p.GetValue(dryRun), ct), ct));
        return push;
    }

    private static async Task<int> PushAsync(MemoryScope s, string directory, MemoryStore store, bool dryRun, CancellationToken cancellationToken)
    {
        var folder = new MemoryFolder(directory);
        var (files, problems) = folder.ReadFiles();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                MemoryRenderer.Error(s.Console, problem);
            }

            return s.Fail($"{problems.Count} file(s) cannot be memories; fix or remove them. Nothing was pushed.");
        }

        var pulled = folder.PulledFrom(store.Id) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var edits = MemoryFolder.Plan(files, pulled);
        if (edits.Count == 0)
        {
            MemoryRenderer.NothingToPush(s.Console, store, folder.Directory);
            return 0;
        }

        foreach (var edit in edits)
        {
            var current = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, edit.Path, cancellationToken);
            var before = current.IsSuccess && (edit.ExpectedSha256 is null || current.Value.ContentSha256 == edit.ExpectedSha256) ? current.Value.Content : null;
            var diff = UnifiedDiff.Of(before, edit.Content, edit.Kind == MemoryEditKind.Create ? "/dev/null" : "a" + edit.Path, edit.Kind == MemoryEditKind.Delete ? "/dev/null" : "b" + edit.Path);
            MemoryRenderer.PushEdit(s.Console, edit, diff);
        }

        if (dryRun)
        {
            MemoryRenderer.DryRun(s.Console, edits.Count);
            return 0;
        }

        var applied = await s.Memory.ApplyEditsAsync(s.Workspace, store.Id, edits, s.Actor, cancellationToken);
        if (!applied.IsSuccess)
        {
            return s.Fail($"{applied.Error.Message} The store changed since the pull; pull again (your files are kept unless you --force), merge, and push.");
        }

        var hashes = new Dictionary<string, string>(pulled, StringComparer.Ordinal);
        for (var i = 0; i < edits.Count; i++)
        {
            if (applied.Value[i] is { } written)
            {
                hashes[written.Path] = written.ContentSha256;
            }
            else
            {
                hashes.Remove(edits[i].Path);
            }
        }

        folder.WriteManifest(store.Id, hashes);
        MemoryRenderer.Pushed(s.Console, store, edits.Count);
        return 0;
    }
}
