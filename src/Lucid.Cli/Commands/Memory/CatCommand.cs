using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

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
        string? text;
        if (versionId is not null)
        {
            var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
            if (!version.IsSuccess)
            {
                return s.Fail(version.Error);
            }

            text = version.Value.RedactedAt is not null ? null : version.Value.Content;
            if (text is null)
            {
                return s.Fail($"version {versionId} has no content ({(version.Value.RedactedAt is null ? "it records a deletion" : "it was redacted")}).");
            }
        }
        else
        {
            var memory = await s.Memory.FindMemoryAsync(s.Workspace, store.Id, path, cancellationToken);
            if (!memory.IsSuccess)
            {
                return s.Fail(memory.Error);
            }

            text = memory.Value.Content ?? "";
        }

        MemoryRenderer.Exactly(s.Console, text);
        return 0;
    }
}
