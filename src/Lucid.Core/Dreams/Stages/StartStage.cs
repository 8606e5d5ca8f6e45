using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The start stage: reads the input store and settles the output store — the input itself for <c>update_existing</c>,
/// else a new store that starts as a copy of the input — and records it on the dream. A <c>create_new</c> dream with
/// review required reads the input in place and makes its copy only when its review is finished.
/// </summary>
internal sealed class StartStage(DreamRun run, MemoryService memory, ILucidStore store)
{
    public async Task<StartedDream> RunAsync(CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        await run.NoteAsync(DreamStage.Start, $"Dream {dream.Id} reads memory store {dream.InputStoreId} and {dream.SessionIds.Count} sessions with {dream.Model}.", cancellationToken);
        var input = DreamFailedException.Unwrap(await memory.GetStoreAsync(dream.WorkspaceId, dream.InputStoreId, cancellationToken), "input_unavailable");
        var memories = DreamFailedException.Unwrap(await memory.ReadAllAsync(dream.WorkspaceId, dream.InputStoreId, "/", includeContent: true, cancellationToken), "input_unavailable");
        await run.Journal.ToolAsync("read_memory_store", new JsonObject { ["memory_store_id"] = dream.InputStoreId }, Listing(memories), cancellationToken);
        var (outputId, copiedSecrets) = dream.OutputBehavior == DreamOutputBehavior.UpdateExisting
            ? (input.Id, [])
            : dream.Review is not null ? (input.Id, SecretsIn(memories)) : await CopyAsync(input, memories, cancellationToken);
        if (dream.OutputBehavior == DreamOutputBehavior.UpdateExisting || dream.Review is null)
        {
            await store.UpdateDreamAsync(dream.Id, d => d with { OutputStoreId = outputId }, cancellationToken);
        }

        var report = new DreamReport { Dream = dream with { OutputStoreId = outputId }, InputMemories = memories.Count, CopiedSecrets = copiedSecrets };
        return new StartedDream(report.Done(DreamStage.Start), outputId);
    }

    /// <summary>Creates the output store as a copy of the input's <paramref name="memories"/>; returns its ID and the copied memories that hold a secret.</summary>
    public async Task<(string OutputId, IReadOnlyList<string> CopiedSecrets)> CopyAsync(MemoryStore input, IReadOnlyList<MemoryDocument> memories, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var created = DreamFailedException.Unwrap(
            await memory.CreateStoreAsync(
                dream.WorkspaceId,
                Limit($"{input.Name} (dream {dream.Id})", MemoryService.MaxNameLength),
                Limit($"Written by dream {dream.Id} from a copy of {input.Id}. {input.Description}", MemoryService.MaxDescriptionLength),
                new Dictionary<string, string> { [DreamJournal.DreamIdKey] = dream.Id, ["lucid.dream_input_store_id"] = input.Id },
                cancellationToken),
            "internal_error");

        var secrets = SecretsIn(memories);
        if (memories.Count > 0)
        {
            DreamFailedException.Unwrap(
                await memory.ApplyEditsAsync(dream.WorkspaceId, created.Id, [.. memories.Select(m => MemoryEdit.Create(m.Path, m.Content ?? ""))], run.Actor, cancellationToken),
                "internal_error", "Copying the input store failed: ");
        }

        await run.Journal.ToolAsync("create_memory_store", new JsonObject { ["copy_of"] = input.Id },
            string.Create(CultureInfo.InvariantCulture, $"Created memory store {created.Id} as a copy of {input.Id} ({memories.Count} memories{(secrets.Count > 0 ? $"; {secrets.Count} of them look like they hold a secret, listed in the report" : "")})."),
            cancellationToken);
        return (created.Id, secrets);
    }

    // The copy is the input as it was; a secret in it is reported (by kind, never by value), not silently carried.
    private IReadOnlyList<string> SecretsIn(IReadOnlyList<MemoryDocument> memories) => [.. memories
        .Select(m => (m.Path, Kinds: run.Secrets.Find($"{m.Path}\n{m.Content}")))
        .Where(m => m.Kinds.Count > 0)
        .Select(m => $"`{run.Secrets.Redact(m.Path)}`: {string.Join(", ", m.Kinds)}")];

    private static string Listing(IReadOnlyList<MemoryDocument> memories) =>
        memories.Count == 0
            ? "The store is empty."
            : string.Join("\n", memories.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Path} ({m.ContentSizeBytes} bytes, sha256 {m.ContentSha256[..12]}…, version {m.VersionId})")));

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..max];
}
