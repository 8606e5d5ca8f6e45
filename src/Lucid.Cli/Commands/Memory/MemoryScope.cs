using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using Spectre.Console;

namespace Lucid.Cli.Commands.Memory;

/// <summary>What one run of a memory verb works with: the memory service over the local store, the workspace, and the local user as the author of changes.</summary>
internal sealed class MemoryScope(CliContext context, MemoryService memory, string workspace, MemoryActor actor)
{
    public IAnsiConsole Console => context.Console;

    public MemoryService Memory => memory;

    public string Workspace => workspace;

    public MemoryActor Actor => actor;

    /// <summary>Opens the local store and runs <paramref name="work"/> against it.</summary>
    public static async Task<int> RunAsync(CliContext context, string workspace, Func<MemoryScope, Task<int>> work, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        return await work(new MemoryScope(context, new MemoryService(store), workspace, MemoryActor.User(context.LocalUser)));
    }

    /// <summary>Prints an error; returns the exit code 1.</summary>
    public int Fail(string message)
    {
        MemoryRenderer.Error(Console, message);
        return 1;
    }

    public int Fail(LucidError error) => Fail(error.Message);

    /// <summary>Prints a failed result's error (exit code 1), or renders a successful one's value (exit code 0).</summary>
    public int Finish<T>(Result<T> result, Action<T> render)
    {
        if (!result.IsSuccess)
        {
            return Fail(result.Error);
        }

        render(result.Value);
        return 0;
    }

    /// <summary>The store a name, mount slug or ID names, or null (having said why) when none or several do.</summary>
    public async Task<MemoryStore?> StoreAsync(string nameOrId, CancellationToken cancellationToken)
    {
        if (nameOrId.StartsWith("memstore_", StringComparison.Ordinal))
        {
            var byId = await memory.GetStoreAsync(workspace, nameOrId, cancellationToken);
            if (byId.IsSuccess)
            {
                return byId.Value;
            }
        }

        var matches = new List<MemoryStore>();
        string? cursor = null;
        do
        {
            var page = await memory.Storage.ListMemoryStoresAsync(workspace, new MemoryStoreQuery { IncludeArchived = true }, new PageRequest(100, cursor), cancellationToken);
            matches.AddRange(page.Items.Where(s => s.Name == nameOrId || MemoryPaths.Slug(s.Name) == nameOrId));
            cursor = page.NextPage;
        }
        while (cursor is not null);
        if (matches.Count == 1)
        {
            return matches[0];
        }

        Fail(matches.Count == 0
            ? $"no memory store '{nameOrId}' in workspace '{workspace}'; see lucid memory stores."
            : $"{matches.Count} stores are named '{nameOrId}'; use an ID: {string.Join(", ", matches.Select(m => m.Id))}.");
        return null;
    }
}
