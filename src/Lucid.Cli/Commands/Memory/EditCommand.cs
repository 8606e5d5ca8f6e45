using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Tools;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory edit STORE PATH --old TEXT --new TEXT [--all]</c>: replace text, conditioned on the content it read.</summary>
internal static class EditCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var path = MemoryArguments.Path("path");
        var oldText = new Option<string>("--old") { Description = "The exact text to replace; it must occur once unless --all.", Required = true };
        var newText = new Option<string>("--new") { Description = "The replacement.", Required = true };
        var all = new Option<bool>("--all") { Description = "Replace every occurrence." };
        var edit = new Command("edit", "Replace text in a memory; fails rather than overwrite a concurrent change.") { store, path, oldText, newText, all };
        edit.SetAction((p, ct) => verb.RunAsync(
            p, store, (s, found) => EditAsync(s, found, p.GetRequiredValue(path), p.GetRequiredValue(oldText), p.GetRequiredValue(newText), p.GetValue(all), ct), ct));
        return edit;
    }

    private static async Task<int> EditAsync(MemoryScope s, MemoryStore store, string path, string oldText, string newText, bool all, CancellationToken cancellationToken)
    {
        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
        if (!memory.IsSuccess)
        {
            return s.Fail(memory.Error);
        }

        var text = memory.Value.Content ?? "";
        var count = oldText.Length == 0 ? 0 : TextEdit.Count(text, oldText);
        if (count == 0 || (count > 1 && !all))
        {
            return s.Fail(count == 0 ? $"--old was not found in {path}." : $"--old occurs {count} times in {path}; make it unique or pass --all.");
        }

        var updated = TextEdit.Replace(text, oldText, newText, all);
        var written = await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, memory.Value.Id, updated, null, memory.Value.ContentSha256, s.Actor, cancellationToken);
        return s.Finish(written, edited => MemoryRenderer.Edited(s.Console, path, UnifiedDiff.Of(text, updated, path, path), edited));
    }
}
