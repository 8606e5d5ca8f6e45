using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Dreams;

/// <summary>Digests and mines stored sessions, one session's log at a time.</summary>
public sealed class SessionMining
{
    private readonly ILucidStore _store;

    /// <summary>Creates the service over a store.</summary>
    public SessionMining(ILucidStore store) => _store = store;

    /// <summary>
    /// Mines the named sessions of a workspace. A session that does not exist (or belongs to another workspace) is a
    /// not-found error and nothing is mined.
    /// </summary>
    public async Task<Result<MiningReport>> MineAsync(string workspaceId, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var sessions = new List<Sessions.Session>(sessionIds.Count);
        foreach (var id in sessionIds.Distinct(StringComparer.Ordinal))
        {
            var session = await _store.GetSessionAsync(id, cancellationToken);
            if (session is null || session.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Session", id);
            }

            sessions.Add(session);
        }

        var miner = new PatternMiner();
        foreach (var session in sessions)
        {
            miner.Add(await SessionDigester.DigestAsync(_store, session, cancellationToken));
        }

        return miner.Build();
    }

    /// <summary>
    /// A train/test split by task: of <paramref name="sessionIds"/>, those whose task (<see cref="Sessions.SessionTasks"/>)
    /// is one of <paramref name="tasks"/> (every session when empty) and none of <paramref name="excludedTasks"/>, in order.
    /// A session that names no task is kept only when no <paramref name="tasks"/> are given.
    /// </summary>
    public async Task<IReadOnlyList<string>> SplitByTaskAsync(
        string workspaceId, IReadOnlyList<string> sessionIds, IReadOnlyCollection<string> tasks, IReadOnlyCollection<string> excludedTasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(excludedTasks);
        var kept = new List<string>();
        foreach (var id in sessionIds)
        {
            var session = await _store.GetSessionAsync(id, cancellationToken);
            if (session is null || session.WorkspaceId != workspaceId)
            {
                continue;
            }

            var task = Sessions.SessionTasks.TaskIdOf(session.Metadata);
            if ((tasks.Count == 0 || (task is not null && tasks.Contains(task))) && (task is null || !excludedTasks.Contains(task)))
            {
                kept.Add(id);
            }
        }

        return kept;
    }

    /// <summary>
    /// The IDs of a workspace's sessions created at or after <paramref name="since"/> (archived ones included), oldest
    /// first, leaving out the sessions that record dreams and the trials that validated a dream's lessons by replay.
    /// </summary>
    public async Task<IReadOnlyList<string>> SessionsSinceAsync(string workspaceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var query = new SessionQuery { IncludeArchived = true, CreatedAtOrAfter = since, Ascending = true };
        string? cursor = null;
        do
        {
            var page = await _store.ListSessionsAsync(workspaceId, query, new PageRequest(100, cursor), cancellationToken);
            ids.AddRange(page.Items.Where(s => !s.Metadata.ContainsKey(DreamJournal.DreamIdKey) && !s.Metadata.ContainsKey(Evals.EvalMetadata.ValidatesDreamId)).Select(s => s.Id));
            cursor = page.NextPage;
        }
        while (cursor is not null);
        return ids;
    }
}
