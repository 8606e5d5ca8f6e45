using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Evals;

/// <summary>
/// Finds the memory store each arm's sessions mount. A store, or a finished dream's output, is mounted as it is; a store
/// at a version, or a dream's proposed changes before review, is first written into a new store (a snapshot) so that
/// sessions can mount it. Sessions mount these stores read-only, so no trial changes what another one sees.
/// </summary>
internal sealed class EvalArmStores(MemoryService memory, IDreamStore dreams)
{
    /// <summary>The store each store-valued arm mounts, by arm name; or why one cannot be mounted.</summary>
    public async Task<Result<IReadOnlyDictionary<string, string>>> ResolveAsync(EvalRun run, MemoryActor actor, CancellationToken cancellationToken)
    {
        var stores = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < run.Suite.Arms.Count; i++)
        {
            var arm = run.Suite.Arms[i];
            if (arm.Kind == EvalArmKind.None)
            {
                continue;
            }

            var store = arm.Kind switch
            {
                EvalArmKind.MemoryStore => await ExistingAsync(run.WorkspaceId, arm.MemoryStoreId!, cancellationToken),
                EvalArmKind.MemoryVersion => await AtVersionAsync(run, arm, actor, cancellationToken),
                _ => await FromDreamAsync(run, arm, actor, cancellationToken),
            };
            if (!store.IsSuccess)
            {
                await DeleteSnapshotsAsync(run with { ArmStores = stores });
                return store.Error with { Message = $"Arm '{arm.Name}' (arms[{i}]): {store.Error.Message}" };
            }

            stores[arm.Name] = store.Value;
        }

        return stores;
    }

    /// <summary>Deletes the snapshot stores made for a run's arms (those of a run that is not stored after all).</summary>
    public async Task DeleteSnapshotsAsync(EvalRun run)
    {
        foreach (var arm in run.Suite.Arms.Where(a => a.Kind is EvalArmKind.MemoryVersion or EvalArmKind.DreamProposed))
        {
            if (run.ArmStores.TryGetValue(arm.Name, out var snapshot))
            {
                await memory.DeleteStoreAsync(run.WorkspaceId, snapshot, CancellationToken.None);
            }
        }
    }

    private async Task<Result<string>> ExistingAsync(string workspaceId, string storeId, CancellationToken cancellationToken)
    {
        var store = await memory.GetStoreAsync(workspaceId, storeId, cancellationToken);
        return store.IsSuccess ? store.Value.Id : store.Error;
    }

    // The store as it was just after the version was written: each memory at its newest version up to that one.
    private async Task<Result<string>> AtVersionAsync(EvalRun run, EvalArm arm, MemoryActor actor, CancellationToken cancellationToken)
    {
        var source = await memory.GetStoreAsync(run.WorkspaceId, arm.MemoryStoreId!, cancellationToken);
        if (!source.IsSuccess)
        {
            return source.Error;
        }

        var reached = false;
        var state = new Dictionary<string, MemoryVersion>(StringComparer.Ordinal);
        var page = new PageRequest(100);
        do
        {
            var versions = await memory.ListVersionsAsync(run.WorkspaceId, source.Value.Id, new MemoryVersionQuery(), page, cancellationToken);
            if (!versions.IsSuccess)
            {
                return versions.Error;
            }

            foreach (var version in versions.Value.Items)
            {
                reached |= version.Id == arm.MemoryVersionId;
                if (reached)
                {
                    state.TryAdd(version.MemoryId, version);
                }
            }

            page = page with { PageCursor = versions.Value.NextPage };
        }
        while (page.PageCursor is not null);

        if (!reached)
        {
            return LucidError.NotFound("Memory version", arm.MemoryVersionId!);
        }

        var edits = new List<MemoryEdit>();
        foreach (var version in state.Values.Where(v => v.Operation != MemoryOperation.Deleted))
        {
            if (version is not { Path: { } path, Content: { } content })
            {
                return LucidError.Conflict($"Memory version '{version.Id}' was redacted, so the store cannot be rebuilt as it was at '{arm.MemoryVersionId}'.");
            }

            edits.Add(MemoryEdit.Create(path, content));
        }

        return await SnapshotAsync(run, arm, $"{source.Value.Name} at {arm.MemoryVersionId}", source.Value.Description, edits, actor, cancellationToken);
    }

    private async Task<Result<string>> FromDreamAsync(EvalRun run, EvalArm arm, MemoryActor actor, CancellationToken cancellationToken)
    {
        var dream = await dreams.GetDreamAsync(arm.DreamId!, cancellationToken);
        if (dream is null || dream.WorkspaceId != run.WorkspaceId)
        {
            return LucidError.NotFound("Dream", arm.DreamId!);
        }

        if (arm.Kind == EvalArmKind.Dream)
        {
            return dream is { Status: DreamStatus.Completed, OutputStoreId: { } output }
                ? await ExistingAsync(run.WorkspaceId, output, cancellationToken)
                : LucidError.Conflict($"Dream '{dream.Id}' has no output to mount: it is {dream.Status.ToWire()}{(dream.AwaitsReview ? " and waits for review; finish its review, or use review: proposed" : "")}.");
        }

        if (dream.Review is not { State: not DreamReviewState.Proposing } review)
        {
            return LucidError.Conflict($"Dream '{dream.Id}' has no proposed changes: {(dream.Review is null ? "it was created without review" : "it has not proposed them yet")}.");
        }

        var input = await memory.ReadAllAsync(run.WorkspaceId, dream.InputStoreId, "/", includeContent: true, cancellationToken);
        if (!input.IsSuccess)
        {
            return input.Error;
        }

        var source = await memory.GetStoreAsync(run.WorkspaceId, dream.InputStoreId, cancellationToken);
        var copy = input.Value.Where(m => !Dream.IsReportPath(m.Path)).Select(m => MemoryEdit.Create(m.Path, m.Content ?? "")).ToList();
        var snapshot = await SnapshotAsync(run, arm, $"{dream.Id} proposed", source.IsSuccess ? source.Value.Description : null, copy, actor, cancellationToken);
        if (!snapshot.IsSuccess)
        {
            return snapshot;
        }

        // Every proposed change, whatever its decision: the store as it would be if the reviewer accepted them all.
        var proposed = review.Changes.SelectMany(c => c.Edits()).OrderBy(e => e.Kind switch { MemoryEditKind.Delete => 0, MemoryEditKind.Update => 1, _ => 2 }).ToList();
        if (proposed.Count > 0)
        {
            var applied = await memory.ApplyEditsAsync(run.WorkspaceId, snapshot.Value, proposed, actor, cancellationToken);
            if (!applied.IsSuccess)
            {
                await memory.DeleteStoreAsync(run.WorkspaceId, snapshot.Value, CancellationToken.None);
                return applied.Error with { Message = $"The proposed changes do not apply to the input store as it is now: {applied.Error.Message}" };
            }
        }

        return snapshot.Value;
    }

    private async Task<Result<string>> SnapshotAsync(
        EvalRun run, EvalArm arm, string name, string? description, List<MemoryEdit> edits, MemoryActor actor, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [EvalMetadata.RunId] = run.Id, [EvalMetadata.Arm] = arm.Name };
        var created = await memory.CreateStoreAsync(run.WorkspaceId, name.Length > MemoryService.MaxNameLength ? name[..MemoryService.MaxNameLength] : name, description, metadata, cancellationToken);
        if (!created.IsSuccess || edits.Count == 0)
        {
            return created.IsSuccess ? created.Value.Id : created.Error;
        }

        var written = await memory.ApplyEditsAsync(run.WorkspaceId, created.Value.Id, edits, actor, cancellationToken);
        if (!written.IsSuccess)
        {
            await memory.DeleteStoreAsync(run.WorkspaceId, created.Value.Id, CancellationToken.None);
            return written.Error;
        }

        return created.Value.Id;
    }
}
