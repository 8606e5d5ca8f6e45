using Lucid.Evals;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Dreams.Validation;

/// <summary>
/// The tasks a dream can replay: those of its input sessions that are trials of an eval run, each with its definition
/// from the run's suite, and the agent and environment of the first such run (which the replays use). Sessions of no
/// eval run name no task to replay.
/// </summary>
internal sealed class ReplayTasks
{
    private readonly SortedDictionary<string, EvalTask> _tasks = new(StringComparer.Ordinal);

    private ReplayTasks(EvalRun? source, decimal? costPerSession)
    {
        Source = source;
        CostPerSession = costPerSession;
    }

    /// <summary>The first eval run an input session belongs to, whose agent, environment and grading the replays use; null when none.</summary>
    public EvalRun? Source { get; }

    /// <summary>The input sessions' list cost per session, on average, when their models had prices; null otherwise.</summary>
    public decimal? CostPerSession { get; }

    /// <summary>A task by ID, when it can be replayed.</summary>
    public EvalTask? Find(string taskId) => _tasks.GetValueOrDefault(taskId);

    /// <summary>The replayable tasks among <paramref name="taskIds"/>, in ID order.</summary>
    public IReadOnlyList<string> Replayable(IEnumerable<string> taskIds) => [.. taskIds.Where(_tasks.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Up to <paramref name="count"/> replayable tasks not in <paramref name="supporting"/>: the first in ID order.</summary>
    public IReadOnlyList<string> Unrelated(IReadOnlyCollection<string> supporting, int count) => [.. _tasks.Keys.Where(t => !supporting.Contains(t)).Take(count)];

    /// <summary>Reads the dream's input sessions and the eval runs they belong to.</summary>
    public static async Task<ReplayTasks> ReadAsync(ILucidStore store, Dream dream, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<string, EvalRun?>(StringComparer.Ordinal);
        var found = new List<(EvalRun Run, string TaskId)>();
        var costs = new List<decimal>();
        foreach (var id in dream.SessionIds)
        {
            var session = await store.GetSessionAsync(id, cancellationToken);
            if (session is null || session.WorkspaceId != dream.WorkspaceId)
            {
                continue;
            }

            if (session.Usage.ListCostUsd is { } cost)
            {
                costs.Add(cost);
            }

            if (!session.Metadata.TryGetValue(EvalMetadata.RunId, out var runId) || SessionTasks.TaskIdOf(session.Metadata) is not { } taskId)
            {
                continue;
            }

            if (!runs.TryGetValue(runId, out var run))
            {
                run = await store.GetEvalRunAsync(runId, cancellationToken);
                runs[runId] = run is not null && run.WorkspaceId == dream.WorkspaceId ? run : null;
                run = runs[runId];
            }

            if (run is not null)
            {
                found.Add((run, taskId));
            }
        }

        var tasks = new ReplayTasks(found.Count == 0 ? null : found[0].Run, costs.Count == 0 ? null : costs.Average());
        foreach (var (run, taskId) in found)
        {
            if (!tasks._tasks.ContainsKey(taskId) && run.Suite.Tasks.FirstOrDefault(t => t.Id == taskId) is { } task)
            {
                tasks._tasks[taskId] = task;
            }
        }

        return tasks;
    }
}
