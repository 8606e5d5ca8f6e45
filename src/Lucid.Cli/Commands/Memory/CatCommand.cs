using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Results;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory cat STORE PATH [--version V]</c>: a memory's content exactly, now or as of a version.</summary>
internal static class CatCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var path = MemoryArguments.Path("path");
        var version = new Option<string?>("--version") { Description = "Print the content as of this version instead of the current one." };
        var cat = new Command("cat", "Print a memory's content exactly.") { store, path, version };
        cat.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => CatAsync(s, found, p.GetRequiredValue(path), p.GetValue(version), ct), ct));
        return cat;
    }

    private static async Task<int> CatAsync(MemoryScope s, MemoryStore store, string path, string? versionId, CancellationToken cancellationToken)
    {
        Result<string> text;
        if (versionId is not null)
        {
            text = await s.Memory.History.ContentAsync(s.Workspace, store.Id, versionId, cancellationToken);
        }
        else
        {
            var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
            text = memory.IsSuccess ? memory.Value.Content ?? "" : memory.Error;
        }

        return s.Finish(text, content => MemoryRenderer.Exactly(s.Console, content));
    }
}
