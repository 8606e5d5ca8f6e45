using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory log STORE [PATH] [-n N]</c>: the history, newest first, with who changed what and when.</summary>
internal static class LogCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var path = new Argument<string?>("path") { Description = "Only the history of the memory at (or last at) this path.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit", "-n") { Description = "How many versions, newest first.", DefaultValueFactory = _ => 50 };
        var log = new Command("log", "Show the history: every change, who made it and when.") { store, path, limit };
        log.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => LogAsync(s, found, p.GetValue(path), p.GetValue(limit), ct), ct));
        return log;
    }

    private static async Task<int> LogAsync(MemoryScope s, MemoryStore store, string? path, int limit, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.History.LogAsync(s.Workspace, store.Id, path, new PageRequest(Math.Clamp(limit, 1, 100)), cancellationToken), page => MemoryRenderer.Log(s.Console, page.Items));
}
