using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>Applies a batch of path-addressed edits all or nothing.</summary>
internal sealed class MemoryEditBatch(MemoryChanges changes)
{
    public async Task<Result<IReadOnlyList<MemoryDocument?>>> ApplyAsync(
        string workspaceId, string storeId, IReadOnlyList<MemoryEdit> edits, MemoryActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edits);
        for (var i = 0; i < edits.Count; i++)
        {
            var edit = edits[i];
            var field = $"edits[{i}]";
            if ((MemoryPaths.Validate(edit.Path, $"{field}.path")
                ?? (edit.Kind == MemoryEditKind.Delete ? null : MemoryPaths.ValidateContent(edit.Content, $"{field}.content"))
                ?? MemoryChanges.CheckSha(edit.ExpectedSha256, $"{field}.expected_sha256")) is { } error)
            {
                return error;
            }
        }

        return await changes.RunAsync<IReadOnlyList<MemoryDocument?>>(workspaceId, storeId, forWrite: true, async (writer, ct) =>
        {
            var results = new List<MemoryDocument?>(edits.Count);
            for (var i = 0; i < edits.Count; i++)
            {
                var result = await ApplyAsync(writer, storeId, edits[i], actor, ct);
                if (!result.IsSuccess)
                {
                    return result.Error with { Message = $"Edit {i + 1} of {edits.Count} ({edits[i].Kind.ToString().ToLowerInvariant()} {edits[i].Path}): {result.Error.Message} Nothing was changed." };
                }

                results.Add(result.Value);
            }

            return results;
        }, cancellationToken);
    }

    private async Task<Result<MemoryDocument?>> ApplyAsync(IMemoryWriter writer, string storeId, MemoryEdit edit, MemoryActor actor, CancellationToken cancellationToken)
    {
        var overlap = await writer.FindOverlapAsync(edit.Path, null, cancellationToken);
        var current = overlap is not null && overlap.Path == edit.Path ? await writer.GetAsync(overlap.Id, cancellationToken) : null;
        if (edit.Kind == MemoryEditKind.Create)
        {
            if (overlap is not null)
            {
                return MemoryChanges.PathConflict(edit.Path, overlap);
            }

            return await changes.PutAsync(writer, storeId, null, edit.Path, edit.Content ?? "", actor, cancellationToken);
        }

        if (current is null)
        {
            return LucidError.PreconditionFailed($"No memory is at '{edit.Path}'.");
        }

        if (edit.Kind == MemoryEditKind.Update)
        {
            var updated = await changes.ChangeAsync(writer, current, edit.Content ?? "", null, edit.ExpectedSha256, actor, cancellationToken);
            return updated.IsSuccess ? updated.Value : updated.Error;
        }

        return await changes.RemoveAsync(writer, current, edit.ExpectedSha256, actor, cancellationToken) is { } stale ? stale : Result<MemoryDocument?>.Ok(null);
    }
}
