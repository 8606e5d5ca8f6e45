using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory revert STORE VERSION</c>: put a memory back as it was at a version, as a new version.</summary>
internal static class RevertCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var version = MemoryArguments.Version("version");
        var revert = new Command("revert", "Put a memory back as it was at a version (recreating it if it was deleted); the revert is a new version.") { store, version };
        revert.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => RevertAsync(s, found, p.GetRequiredValue(version), ct), ct));
        return revert;
    }

    private static async Task<int> RevertAsync(MemoryScope s, MemoryStore store, string versionId, CancellationToken cancellationToken)
    {
        var version = await s.Memory.GetVersionAsync(s.Workspace, store.Id, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return s.Fail(version.Error);
        }

        if (version.Value is not { Content: { } content, Path: { } path })
        {
            return s.Fail($"version {versionId} has no content to go back to ({(version.Value.RedactedAt is null ? "it records a deletion; revert the version before it" : "it was redacted")}).");
        }

        var current = await s.Memory.GetMemoryAsync(s.Workspace, store.Id, version.Value.MemoryId, cancellationToken);
        var reverted = current.IsSuccess
            ? await s.Memory.UpdateMemoryAsync(s.Workspace, store.Id, current.Value.Id, content, path, current.Value.ContentSha256, s.Actor, cancellationToken)
            : await s.Memory.CreateMemoryAsync(s.Workspace, store.Id, path, content, s.Actor, cancellationToken);
        if (!reverted.IsSuccess)
        {
            return s.Fail(reverted.Error);
        }

        MemoryRenderer.Reverted(s.Console, path, versionId, reverted.Value, recreated: !current.IsSuccess);
        return 0;
    }
}
