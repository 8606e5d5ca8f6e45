using Lucid.Storage;

namespace Lucid.Evals;

/// <summary>Eval runs stored as pending or running, and failing one that no process runs any more.</summary>
internal static class UnfinishedEvalRuns
{
    /// <summary>The workspace's runs (every workspace's when null) still pending or running, oldest first.</summary>
    public static async Task<IReadOnlyList<EvalRun>> ListAsync(IEvalStore store, string? workspaceId, CancellationToken cancellationToken)
    {
        var found = new List<EvalRun>();
        string? cursor = null;
        do
        {
            var page = await store.ListEvalRunsAsync(workspaceId, new PageRequest(100, cursor), cancellationToken);
            found.AddRange(page.Items.Where(r => r.Status is EvalRunStatus.Pending or EvalRunStatus.Running));
            cursor = page.NextPage;
        }
        while (cursor is not null);
        return [.. found.OrderBy(r => r.CreatedAt)];
    }

    /// <summary>Fails the run with <paramref name="error"/> if it is still pending or running; returns whether it did.</summary>
    public static async Task<bool> FailAsync(IEvalStore store, string runId, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = false;
        await store.UpdateEvalRunAsync(
            runId,
            r => (failed = r.Status is EvalRunStatus.Pending or EvalRunStatus.Running) ? r with { Status = EvalRunStatus.Failed, Error = error, EndedAt = now } : r,
            cancellationToken);
        return failed;
    }
}
