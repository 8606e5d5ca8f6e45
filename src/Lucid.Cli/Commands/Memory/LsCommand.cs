using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory ls STORE [PREFIX] [-r]</c>: paths, sizes and hashes, directories rolled up unless <c>-r</c>.</summary>
internal static class LsCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var prefix = new Argument<string?>("prefix") { Description = "A directory such as /playbooks/ (default: the whole store).", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List every memory below the prefix instead of rolling directories up." };
        var ls = new Command("ls", "List memories: paths, sizes, hashes and when they changed.") { store, prefix, recursive };
        ls.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => ListAsync(s, found, p.GetValue(prefix), p.GetValue(recursive), ct), ct));
        return ls;
    }

    private static async Task<int> ListAsync(MemoryScope s, MemoryStore store, string? prefix, bool recursive, CancellationToken cancellationToken)
    {
        var normalized = prefix is null or "/" ? "/" : prefix.EndsWith('/') ? prefix : prefix + "/";
        var items = new List<MemoryListItem>();
        string? cursor = null;
        do
        {
            var page = await s.Memory.ListMemoriesAsync(s.Workspace, store.Id, normalized, recursive ? 0 : 1, false, new PageRequest(100, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return s.Fail(page.Error);
            }

            items.AddRange(page.Value.Items);
            cursor = page.Value.NextPage;
        }
        while (cursor is not null);

        MemoryRenderer.Listing(s.Console, store, normalized, items);
        return 0;
    }
}
