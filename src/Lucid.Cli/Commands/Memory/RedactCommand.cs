using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory redact STORE VERSION</c>: blank a version's content and path for good.</summary>
internal static class RedactCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var version = MemoryArguments.Version("version");
        var redact = new Command("redact", "Blank a version's content and path for good (for leaked secrets); records who did it.") { store, version };
        redact.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => RedactAsync(s, found, p.GetRequiredValue(version), ct), ct));
        return redact;
    }

    private static async Task<int> RedactAsync(MemoryScope s, MemoryStore store, string versionId, CancellationToken cancellationToken) =>
        s.Finish(await s.Memory.RedactVersionAsync(s.Workspace, store.Id, versionId, s.Actor, cancellationToken), _ => MemoryRenderer.Redacted(s.Console, versionId));
}
