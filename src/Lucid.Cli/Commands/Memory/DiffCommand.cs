using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory diff STORE VERSION [OTHER]</c>: what a version changed, as a unified diff.</summary>
internal static class DiffCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var version = MemoryArguments.Version("version");
        var other = new Argument<string?>("other") { Description = "Compare with this version instead of the one before.", Arity = ArgumentArity.ZeroOrOne };
        var diff = new Command("diff", "Show what a version changed, as a unified diff.") { store, version, other };
        diff.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => DiffAsync(s, found, p.GetRequiredValue(version), p.GetValue(other), ct), ct));
        return diff;
    }

    private static async Task<int> DiffAsync(MemoryScope s, MemoryStore store, string versionId, string? otherId, CancellationToken cancellationToken)
    {
        var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return s.Fail(version.Error);
        }

        MemoryVersion? before;
        if (otherId is not null)
        {
            var other = await s.Memory.GetVersionAsync(s.Workspace, store.Id, otherId, cancellationToken);
            if (!other.IsSuccess)
            {
                return s.Fail(other.Error);
            }

            before = other.Value;
        }
        else
        {
            before = await PreviousAsync(s, store.Id, version.Value, cancellationToken);
        }

        var diff = TextDiff.Unified(
            before?.Content, version.Value.Content, before is null ? "/dev/null" : $"{before.Path ?? "(redacted)"} @ {before.Id}", $"{version.Value.Path ?? "(redacted)"} @ {version.Value.Id}");
        MemoryRenderer.Diff(s.Console, version.Value, before, diff);
        return 0;
    }

    private static async Task<MemoryVersion?> PreviousAsync(MemoryScope s, string storeId, MemoryVersion version, CancellationToken cancellationToken)
    {
        string? cursor = null;
        var seen = false;
        do
        {
            var page = await s.Memory.ListVersionsAsync(s.Workspace, storeId, new MemoryVersionQuery { MemoryId = version.MemoryId }, new PageRequest(20, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return null;
            }

            foreach (var v in page.Value.Items)
            {
                if (seen)
                {
                    return v;
                }

                seen = v.Id == version.Id;
            }

            cursor = page.Value.NextPage;
        }
        while (cursor is not null);
        return null;
    }
}
