using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory mv STORE FROM TO</c>: rename a memory; it keeps its ID and history.</summary>
internal static class MvCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var from = MemoryArguments.Path("from");
        var to = MemoryArguments.Path("to");
        var mv = new Command("mv", "Rename a memory; it keeps its ID and history.") { store, from, to };
        mv.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => MoveAsync(s, found, p.GetRequiredValue(from), p.GetRequiredValue(to), ct), ct));
        return mv;
    }

    private static async Task<int> MoveAsync(MemoryScope s, MemoryStore store, string from, string to, CancellationToken cancellationToken)
    {
        var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, from, cancellationToken);
        var moved = memory.IsSuccess ? await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, memory.Value.Id, null, to, null, s.Actor, cancellationToken) : memory.Error;
        return s.Finish(moved, _ => MemoryRenderer.Renamed(s.Console, from, to));
    }
}
