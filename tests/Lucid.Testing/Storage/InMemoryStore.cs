using System.Globalization;
using Lucid.Agents;
using Lucid.Auth;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Threads;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

/// <summary>
/// A store in memory, for fast engine tests. It passes the same contract suite as the real stores, so tests that use
/// it exercise the behaviour the engine relies on.
/// </summary>
public sealed partial class InMemoryStore : ILucidStore
{
    private readonly Lock _lock = new();
    private readonly List<Agent> _agents = [];
    private readonly List<AgentEnvironment> _environments = [];
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionThread> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LoggedEvent>> _events = new(StringComparer.Ordinal);
    private readonly List<ApiKey> _keys = [];
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);

    public Task CreateAgentAsync(Agent agent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique key.
            if (_agents.Exists(a => a.Id == agent.Id && a.Version == agent.Version))
            {
                throw new InvalidOperationException($"Agent '{agent.Id}' version {agent.Version} already exists.");
            }

            _agents.Add(agent);
            RecordWebhooks([WebhookTriggers.OfNewAgent(agent)]);
        }

        return Task.CompletedTask;
    }

    public Task<bool> AddAgentVersionAsync(Agent agent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var latest = _agents.Where(a => a.Id == agent.Id).MaxBy(a => a.Version);
            if (latest is null || latest.Version + 1 != agent.Version)
            {
                return Task.FromResult(false);
            }

            _agents.Add(agent);
            RecordWebhooks([WebhookTriggers.OfAgentVersion(agent)]);
            return Task.FromResult(true);
        }
    }

    public Task<Agent?> GetAgentAsync(string id, int? version, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var versions = _agents.Where(a => a.Id == id);
            return Task.FromResult(version is { } v ? versions.FirstOrDefault(a => a.Version == v) : versions.MaxBy(a => a.Version));
        }
    }

    public Task<Page<Agent>> ListAgentsAsync(string workspaceId, AgentQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var latest = _agents.GroupBy(a => a.Id).Select(g => g.OrderByDescending(a => a.Version).First())
                .Where(a => a.WorkspaceId == workspaceId && query.Matches(a))
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(Paginate(latest, page));
        }
    }

    public Task<Page<Agent>> ListAgentVersionsAsync(string id, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(_agents.Where(a => a.Id == id).OrderByDescending(a => a.Version).ToList(), page));
        }
    }

    public Task<bool> ArchiveAgentAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_agents.Where(a => a.Id == id).MaxBy(a => a.Version) is { } latest)
            {
                RecordWebhooks(WebhookTriggers.OfAgentArchive(latest, archivedAt));
            }

            var found = false;
            for (var i = 0; i < _agents.Count; i++)
            {
                if (_agents[i].Id == id)
                {
                    _agents[i] = _agents[i] with { ArchivedAt = archivedAt };
                    found = true;
                }
            }

            return Task.FromResult(found);
        }
    }

    public Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique key.
            if (_environments.Exists(e => e.Id == environment.Id))
            {
                throw new InvalidOperationException($"Environment '{environment.Id}' already exists.");
            }

            _environments.Add(environment);
            RecordWebhooks([WebhookTriggers.OfNewEnvironment(environment)]);
        }

        return Task.CompletedTask;
    }

    public Task<EnvironmentDeletion> DeleteEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_sessions.Values.Any(s => s.EnvironmentId == id && s.ArchivedAt is null) || _deployments.Values.Any(d => d.EnvironmentId == id && d.ArchivedAt is null))
            {
                return Task.FromResult(EnvironmentDeletion.InUse);
            }

            if (_environments.Find(e => e.Id == id) is not { } environment)
            {
                return Task.FromResult(EnvironmentDeletion.NotFound);
            }

            _environments.Remove(environment);
            RecordWebhooks([WebhookTriggers.OfDeletedEnvironment(environment, Clock.GetUtcNow())]);
            return Task.FromResult(EnvironmentDeletion.Deleted);
        }
    }

    public Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var i = _environments.FindIndex(e => e.Id == environment.Id);
            if (i < 0)
            {
                return Task.FromResult(false);
            }

            RecordWebhooks(WebhookTriggers.OfEnvironmentChange(_environments[i], environment));
            _environments[i] = environment;
            return Task.FromResult(true);
        }
    }

    public Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_environments.FirstOrDefault(e => e.Id == id));
        }
    }

    public Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _environments.Where(e => e.WorkspaceId == workspaceId && (includeArchived || e.ArchivedAt is null))
                    .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }

    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken) =>
        CreateSessionAsync(session, [], cancellationToken);

    public Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_sessions.ContainsKey(session.Id))
            {
                throw new InvalidOperationException($"Session '{session.Id}' already exists.");
            }

            _sessions.Add(session.Id, session);
            _events.Add(session.Id, []);
            RecordWebhooks([WebhookTriggers.OfNewSession(session)]);
            try
            {
                return firstEvents.Count == 0 ? Task.FromResult<IReadOnlyList<LoggedEvent>>([]) : AppendAsync(session.Id, firstEvents, cancellationToken);
            }
            catch
            {
                // Whole or absent, as the SQLite store's transaction makes it.
                _sessions.Remove(session.Id);
                _events.Remove(session.Id);
                throw;
            }
        }
    }

    public Task<Session?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_sessions.GetValueOrDefault(id));
        }
    }

    public Task<Page<Session>> ListSessionsAsync(string? workspaceId, SessionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var matching = _sessions.Values.Where(s => (workspaceId is null || s.WorkspaceId == workspaceId) && query.Matches(s));
            var ordered = query.Ascending
                ? matching.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)
                : matching.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal);
            return Task.FromResult(Paginate(ordered.ToList(), page));
        }
    }

    public Task<bool> UpdateSessionAsync(Session session, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(session.Id, out var current))
            {
                return Task.FromResult(false);
            }

            var updated = current with { Title = session.Title, Metadata = session.Metadata, Budget = session.Budget, Files = session.Files, Repositories = session.Repositories, ArchivedAt = session.ArchivedAt, UpdatedAt = session.UpdatedAt };
            _sessions[session.Id] = updated;
            RecordWebhooks(WebhookTriggers.OfSessionChange(current, updated));
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(id, out var session))
            {
                RecordWebhooks([WebhookTriggers.OfDeletedSession(session, Clock.GetUtcNow())]);
            }

            foreach (var key in _threads.Values.Where(t => t.SessionId == id).Select(t => t.Id).Append(id).ToList())
            {
                _threads.Remove(key);
                if (_events.Remove(key, out var log))
                {
                    _eventIds.ExceptWith(log.Select(e => e.Event.Id));
                }
            }

            return Task.FromResult(_sessions.Remove(id));
        }
    }

    public Task CreateThreadAsync(SessionThread thread, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_sessions.ContainsKey(thread.SessionId))
            {
                throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            }

            _threads.Add(thread.Id, thread);
            _events.Add(thread.Id, []);
        }

        return Task.CompletedTask;
    }

    public Task<SessionThread?> GetThreadAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_threads.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<SessionThread>> ListThreadsAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SessionThread>>(
                [.. _threads.Values.Where(t => t.SessionId == sessionId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<IReadOnlyList<SessionThread>> ListRunningThreadsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SessionThread>>(
                [.. _threads.Values.Where(t => t.Status is SessionStatus.Running or SessionStatus.Rescheduling).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> ArchiveThreadAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_threads.TryGetValue(id, out var thread))
            {
                return Task.FromResult(false);
            }

            _threads[id] = thread with { ArchivedAt = archivedAt, UpdatedAt = archivedAt };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        if (SessionThread.IsThreadId(logId))
        {
            return AppendToThreadAsync(logId, events);
        }

        lock (_lock)
        {
            if (!_sessions.TryGetValue(logId, out var session))
            {
                throw new KeyNotFoundException($"Session '{logId}' does not exist.");
            }

            var before = session;
            var log = _events[logId];
            ClaimEventIds(events);
            var logged = new List<LoggedEvent>(events.Count);
            foreach (var e in events)
            {
                var entry = new LoggedEvent(logId, session.LastSequence + 1, SessionProjection.Complete(session, e));
                session = SessionProjection.Apply(session, entry);
                logged.Add(entry);
            }

            log.AddRange(logged);
            _sessions[logId] = session;
            RecordWebhooks(WebhookTriggers.OfSessionLog(before, logged));
            return Task.FromResult<IReadOnlyList<LoggedEvent>>(logged);
        }
    }

    // Event IDs are unique across every log, as the SQLite store's unique index makes them. Called under the lock.
    private void ClaimEventIds(IReadOnlyList<SessionEvent> events)
    {
        if (events.Any(e => _eventIds.Contains(e.Id)) || events.Select(e => e.Id).Distinct().Count() != events.Count)
        {
            throw new InvalidOperationException("An event ID of the batch is already in the log.");
        }

        _eventIds.UnionWith(events.Select(e => e.Id));
    }

    private Task<IReadOnlyList<LoggedEvent>> AppendToThreadAsync(string threadId, IReadOnlyList<SessionEvent> events)
    {
        lock (_lock)
        {
            if (!_threads.TryGetValue(threadId, out var thread))
            {
                throw new KeyNotFoundException($"Thread '{threadId}' does not exist.");
            }

            ClaimEventIds(events);
            var session = _sessions[thread.SessionId];
            var logged = new List<LoggedEvent>(events.Count);
            foreach (var e in events)
            {
                var entry = new LoggedEvent(threadId, thread.LastSequence + 1, SessionProjection.Complete(session, e));
                var before = thread;
                thread = ThreadProjection.Apply(thread, entry);
                session = SessionProjection.ApplyThreadEvent(session, entry, before, thread);
                logged.Add(entry);
            }

            _events[threadId].AddRange(logged);
            _threads[threadId] = thread;
            _sessions[session.Id] = session;
            return Task.FromResult<IReadOnlyList<LoggedEvent>>(logged);
        }
    }

    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(string logId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<LoggedEvent> page = _events.TryGetValue(logId, out var log)
                ? [.. log.Where(e => e.Sequence > afterSequence).Take(limit)]
                : [];
            return Task.FromResult(page);
        }
    }

    public Task<Page<LoggedEvent>> ListEventsAsync(string logId, EventQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        long? after = null;
        if (page.PageCursor is not null)
        {
            after = long.TryParse(page.PageCursor, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)
                ? cursor
                : throw new ArgumentException($"'{page.PageCursor}' is not a page cursor of this store.", nameof(page));
        }

        lock (_lock)
        {
            var log = _events.GetValueOrDefault(logId) ?? [];
            var ordered = query.Descending ? Enumerable.Reverse(log) : log;
            var matching = ordered
                .Where(e => after is not { } a || (query.Descending ? e.Sequence < a : e.Sequence > a))
                .Where(query.Matches)
                .Take(Math.Clamp(page.Limit, 1, 1000) + 1)
                .ToList();
            var items = matching.Take(Math.Clamp(page.Limit, 1, 1000)).ToList();
            var next = matching.Count > items.Count ? items[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<LoggedEvent>(items, next));
        }
    }

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _keys.Add(key);
        }

        return Task.CompletedTask;
    }

    public Task<ApiKey?> FindApiKeyAsync(string hash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_keys.FirstOrDefault(k => k.Hash == hash));
        }
    }

    public Task<ApiKey?> RevokeApiKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _keys.FindIndex(k => k.Id == id);
            if (index < 0)
            {
                return Task.FromResult<ApiKey?>(null);
            }

            _keys[index] = _keys[index] with { RevokedAt = _keys[index].RevokedAt ?? revokedAt };
            return Task.FromResult<ApiKey?>(_keys[index]);
        }
    }

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApiKey>>([.. _keys]);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Page<T> Paginate<T>(List<T> ordered, PageRequest page)
    {
        var offset = page.PageCursor is null ? 0 : int.Parse(page.PageCursor, CultureInfo.InvariantCulture);
        var limit = Math.Clamp(page.Limit, 1, 1000);
        var items = ordered.Skip(offset).Take(limit).ToList();
        var next = offset + items.Count < ordered.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new Page<T>(items, next);
    }
}
