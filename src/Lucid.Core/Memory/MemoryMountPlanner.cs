using Lucid.Results;

namespace Lucid.Memory;

/// <summary>
/// Checks the memory stores a new session attaches and fixes what its agent will see of each: name, description and a
/// mount path unique in the session.
/// </summary>
internal sealed class MemoryMountPlanner(MemoryService memory)
{
    /// <summary>The most memory stores one session may mount.</summary>
    public const int MaxMemoryStores = 8;

    public async Task<Result<IReadOnlyList<MemoryStoreResource>>> PlanAsync(
        string workspaceId, IReadOnlyList<MemoryAttachment> attachments, CancellationToken cancellationToken)
    {
        if (attachments.Count > MaxMemoryStores)
        {
            return LucidError.Invalid("resources", $"A session can mount at most {MaxMemoryStores} memory stores; got {attachments.Count}.");
        }

        var mounts = new List<MemoryStoreResource>();
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var field = $"resources[{i}]";
            if (attachment.Instructions is { Length: > MemoryAttachment.MaxInstructionsLength })
            {
                return LucidError.Invalid($"{field}.instructions", $"instructions must be at most {MemoryAttachment.MaxInstructionsLength:N0} characters; got {attachment.Instructions.Length:N0}.");
            }

            if (mounts.Any(m => m.MemoryStoreId == attachment.MemoryStoreId))
            {
                return LucidError.Invalid($"{field}.memory_store_id", $"Memory store '{attachment.MemoryStoreId}' is attached twice.");
            }

            var store = await memory.GetStoreAsync(workspaceId, attachment.MemoryStoreId, cancellationToken);
            if (!store.IsSuccess)
            {
                return store.Error;
            }

            if (store.Value.ArchivedAt is not null)
            {
                return LucidError.Invalid($"{field}.memory_store_id", $"Memory store '{store.Value.Id}' is archived; it can no longer be attached to sessions.");
            }

            var slug = MemoryPaths.Slug(store.Value.Name);
            var mountPath = $"{MemoryPaths.MountRoot}/{slug}";
            for (var n = 2; mounts.Any(m => m.MountPath == mountPath); n++)
            {
                mountPath = $"{MemoryPaths.MountRoot}/{slug}-{n}";
            }

            mounts.Add(new MemoryStoreResource
            {
                MemoryStoreId = store.Value.Id,
                Access = attachment.Access,
                Instructions = attachment.Instructions,
                Name = store.Value.Name,
                Description = store.Value.Description,
                MountPath = mountPath,
            });
        }

        return mounts;
    }
}
