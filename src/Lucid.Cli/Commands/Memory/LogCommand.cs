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

    private static async Task<int> LogAsync(MemoryScope s, MemoryStore store, string? path, int limit, CancellationToken cancellationToken)
    {
        var query = new MemoryVersionQuery { IncludeContent = false };
        if (path is not null)
        {
            var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
            var memoryId = memory.IsSuccess ? memory.Value.Id : await LastMemoryAtAsync(s, store.Id, path, cancellationToken);
            if (memoryId is null)
            {
                return s.Fail($"no memory is or was at {path}.");
            }

            query = query with { MemoryId = memoryId };
        }

        var page = await s.Memory.ListVersionsAsync(s.Workspace, store.Id, query, new PageRequest(Math.Clamp(limit, 1, 100)), cancellationToken);
        if (!page.IsSuccess)
        {
            return s.Fail(page.Error);
        }

        MemoryRenderer.Log(s.Console, page.Value.Items);
        return 0;
    }

    private static async Task<string?> LastMemoryAtAsync(MemoryScope s, string storeId, string path, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await s.Memory.ListVersionsAsync(s.Workspace, storeId, new MemoryVersionQuery { IncludeContent = false }, new PageRequest(100, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return null;
            }

            if (page.Value.Items.FirstOrDefault(v => v.Path == path) is { } hit)
            {
                return hit.MemoryId;
            }

            cursor = page.Value.NextPage;
        }
        while (cursor is not null);
        return null;
    }
}
