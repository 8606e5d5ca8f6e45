using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory rm STORE PATH [--if-sha SHA]</c>: delete a memory; its history stays.</summary>
internal static class RmCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var path = MemoryArguments.Path("path");
        var ifSha = MemoryArguments.IfSha();
        var rm = new Command("rm", "Delete a memory (its versions stay in the log).") { store, path, ifSha };
        rm.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => RemoveAsync(s, found, p.GetRequiredValue(path), p.GetValue(ifSha), ct), ct));
        return rm;
    }

    private static async Task<int> RemoveAsync(MemoryScope s, MemoryStore store, string path, string? ifSha, CancellationToken cancellationToken)
    {
        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
        var deleted = memory.IsSuccess ? await s.Memory.DeleteMemoryAsync(s.Workspace, store.Id, memory.Value.Id, ifSha, s.Actor, cancellationToken) : memory.Error;
        return s.Finish(deleted, memoryId => MemoryRenderer.Deleted(s.Console, path, memoryId));
    }
}
