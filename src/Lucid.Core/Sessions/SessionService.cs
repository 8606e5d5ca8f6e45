using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Threads;
using Lucid.Validation;

namespace Lucid.Sessions;

/// <summary>
/// Sessions as the API sees them: create, read, list, update, archive, delete, and send input events. Input is
/// validated at the edge and against the session's state, committed to its log through its runner, then handed to it.
/// </summary>
public sealed class SessionService
{
    private readonly EngineParts _parts;
    private readonly MemoryMountPlanner _mounts;
    private readonly Resources.SessionResourceService _resources;

    internal SessionService(EngineParts parts, Resources.SessionResourceService resources)
    {
        _parts = parts;
        _mounts = new MemoryMountPlanner(parts.Memory);
        _resources = resources;
        Budgets = new SessionBudgetRules(parts);
    }

    private ILucidStore Store => _parts.Store;

    /// <summary>The files and repositories sessions mount (deployments check theirs with it too).</summary>
    internal Resources.SessionResourceService Resources => _resources;

    /// <summary>The rules for session budgets (also applied to the budgets deployments stamp onto their sessions).</summary>
    internal SessionBudgetRules Budgets { get; }

    /// <summary>
    /// Creates a session pinned to an agent version, then sends its initial events. Nothing is stored when any part of
    /// the definition is invalid.
    /// </summary>
    public async Task<Result<Session>> CreateAsync(string workspaceId, SessionDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var rubrics = await Outcomes.FileRubrics.ResolveAsync(_parts.Files, workspaceId, definition.InitialEvents, i => $"initial_events[{i}]", cancellationToken);
        if (!rubrics.IsSuccess)
        {
            return rubrics.Error;
        }

        definition = definition with { InitialEvents = rubrics.Value };
        var error = !IdPrefixes.Has(definition.AgentId, IdPrefixes.Agent) ? LucidError.Invalid("agent", $"'{definition.AgentId}' is not an agent ID (agent_…).")
            : !IdPrefixes.Has(definition.EnvironmentId, IdPrefixes.Environment) ? LucidError.Invalid("environment_id", $"'{definition.EnvironmentId}' is not an environment ID (env_…).")
            : Rules.Metadata(definition.Metadata) ?? SessionInputRules.CheckInitial(definition.InitialEvents);
        if (error is not null)
        {
            return error;
        }

        var agent = await Store.GetAgentAsync(definition.AgentId, definition.AgentVersion, cancellationToken);
        if (agent is null || agent.WorkspaceId != workspaceId)
        {
            return definition.AgentVersion is { } v
                ? LucidError.NotFound("Agent version", $"{definition.AgentId} v{v}")
                : LucidError.NotFound("Agent", definition.AgentId);
        }

        if (agent.ArchivedAt is not null)
        {
            return LucidError.Invalid("agent", $"Agent '{agent.Id}' is archived; sessions can no longer use it.");
        }

        _parts.Agents.Remember(agent);
        if (SessionInputRules.CheckCommandChecks(definition.InitialEvents, i => $"initial_events[{i}]", agent, _parts.Options.Sandbox) is { } checkError)
        {
            return checkError;
        }

        if (definition.Budget is not null && await Budgets.ErrorForAgentAsync(agent, cancellationToken) is { } unpriced)
        {
            return unpriced;
        }

        var environment = await Store.GetEnvironmentAsync(definition.EnvironmentId, cancellationToken);
        if (environment is null || environment.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Environment", definition.EnvironmentId);
        }

        if (environment.ArchivedAt is not null)
        {
            return LucidError.Invalid("environment_id", $"Environment '{environment.Id}' is archived; sessions can no longer use it.");
        }

        var resources = await _mounts.PlanAsync(workspaceId, definition.Resources, cancellationToken);
        if (!resources.IsSuccess)
        {
            return resources.Error;
        }

        if (await SessionVaultRules.ErrorAsync(Store, workspaceId, definition.VaultIds, cancellationToken) is { } vaultError)
        {
            return vaultError;
        }

        var now = _parts.Time.GetUtcNow();
        var id = _parts.Ids.NewId(IdPrefixes.Session);
        // Made by the session's tools when they first need it (or by a repository cloned into it).
        var workDirectory = Path.GetFullPath(definition.WorkDirectory ?? Path.Combine(_parts.Options.WorkDirectoriesRoot, id));
        var initial = WithOutcomeIds(definition.InitialEvents);
        if (SessionInputRules.CheckAgainstState(initial, new Conversation(null), id) is { } stateError)
        {
            return stateError;
        }

        // Files are copied and repositories cloned last, once nothing else can refuse the session.
        var mounted = await _resources.PrepareAsync(workspaceId, id, workDirectory, definition, cancellationToken);
        if (!mounted.IsSuccess)
        {
            return mounted.Error;
        }
        var session = new Session
        {
            Id = id,
            WorkspaceId = workspaceId,
            AgentId = agent.Id,
            VaultIds = definition.VaultIds,
            AgentVersion = agent.Version,
            EnvironmentId = environment.Id,
            WorkDirectory = workDirectory,
            DeploymentId = definition.DeploymentId,
            Title = definition.Title,
            Metadata = definition.Metadata,
            Resources = resources.Value,
            Files = mounted.Value.Files,
            Repositories = mounted.Value.Repositories,
            Budget = definition.Budget,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // The session and its initial events are one commit, checked first against the empty log they start.
        IReadOnlyList<LoggedEvent> logged;
        try
        {
            logged = await _parts.Events.CreateSessionAsync(session, initial, cancellationToken);
        }
        catch
        {
            _resources.Area(id).Delete();
            if (definition.WorkDirectory is null && Directory.Exists(workDirectory))
            {
                Directory.Delete(workDirectory, recursive: true);
            }

            throw;
        }

        if (_parts.Placement is { } placement)
        {
            await placement.ClaimAsync(session.Id, cancellationToken);
        }

        _parts.Runners.StartNew(new CreatedSession(session, logged));
        return session;
    }

    /// <summary>Returns a session of the workspace, or a not-found error.</summary>
    public async Task<Result<Session>> GetAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var session = await Store.GetSessionAsync(sessionId, cancellationToken);
        return session is null || session.WorkspaceId != workspaceId ? LucidError.NotFound("Session", sessionId) : session;
    }

    /// <summary>
    /// The log of a session of the workspace, or a not-found error: what a stream of the log needs to know. A session
    /// this process created and still runs is known without reading its row (a deleted session's runner is stopped
    /// before its row goes).
    /// </summary>
    public async Task<Result<LogId>> LogOfAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var log = LogId.Of(sessionId);
        if (_parts.Runners.Find(log)?.WorkspaceId is { } known)
        {
            return known == workspaceId ? log : LucidError.NotFound("Session", sessionId);
        }

        var found = await GetAsync(workspaceId, sessionId, cancellationToken);
        return found.IsSuccess ? log : found.Error;
    }

    /// <summary>Lists the workspace's sessions that match the query, one page at a time.</summary>
    public Task<Page<Session>> ListAsync(string workspaceId, SessionQuery query, PageRequest page, CancellationToken cancellationToken) =>
        Store.ListSessionsAsync(workspaceId, query, page, cancellationToken);

    /// <summary>
    /// Lists the events of a log (a session's, or one of its threads') that match the query. The caller has checked
    /// that the log belongs to the workspace.
    /// </summary>
    public Task<Page<LoggedEvent>> ListEventsAsync(string logId, EventQuery query, PageRequest page, CancellationToken cancellationToken) =>
        Store.ListEventsAsync(logId, query, page, cancellationToken);

    /// <summary>
    /// Applies what <paramref name="change"/> makes of the session's title, metadata and budget. A budget can be raised
    /// above what the session has spent, or removed, but not added to a session that has none.
    /// </summary>
    public async Task<Result<Session>> UpdateAsync(
        string workspaceId, string sessionId, Func<Session, SessionChanges> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = await GetAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var session = current.Value;
        var changes = change(session);
        if (Rules.Metadata(changes.Metadata) is { } error)
        {
            return error;
        }

        if (changes.Budget != session.Budget && await Budgets.CheckChangeAsync(session, changes.Budget, cancellationToken) is { } budgetError)
        {
            return budgetError;
        }

        var updated = new SessionUpdatedEvent
        {
            Title = changes.Title != session.Title ? new(changes.Title) : default,
            Metadata = SameMetadata(changes.Metadata, session.Metadata) ? default : new(changes.Metadata),
            Budget = changes.Budget != session.Budget ? new(changes.Budget) : default,
        };
        if (!updated.ChangesAnything)
        {
            return session;
        }

        // The store applies the event to the session's row in the transaction that commits it.
        var logged = await _parts.Runners.Of(LogId.Of(session.Id)).AppendAsync([updated], cancellationToken);
        return SessionProjection.Apply(session, logged[^1]);
    }

    private static bool SameMetadata(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>
    /// Archives a session: it stays readable and takes no more input, and its runners stop. A running session, or one
    /// with a running thread, must be interrupted first.
    /// </summary>
    public async Task<Result<Session>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var threads = await Store.ListThreadsAsync(sessionId, cancellationToken);
        if (Busy(current.Value, threads, "archiving") is { } busy)
        {
            return busy;
        }

        var now = _parts.Time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await Store.UpdateSessionAsync(archived, cancellationToken);
        // An archived session takes no more input: its idle runners stop now rather than when they retire.
        await _parts.Runners.RemoveAsync(Logs(sessionId, threads));
        return archived;
    }

    /// <summary>
    /// Deletes a session, its whole event log, and the work directory Lucid made for it (a directory the caller named
    /// is kept). A running session, or one with a running thread, must be interrupted first.
    /// </summary>
    public async Task<Result<Session>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var threads = await Store.ListThreadsAsync(sessionId, cancellationToken);
        if (Busy(current.Value, threads, "deleting") is { } busy)
        {
            return busy;
        }

        var logs = Logs(sessionId, threads);
        await _parts.Runners.RemoveAsync(logs);
        await Store.DeleteSessionAsync(sessionId, cancellationToken);
        foreach (var log in logs)
        {
            _parts.Events.Forget(log);
        }

        _parts.Threads.Forget(sessionId);
        DeleteOwnWorkDirectory(current.Value);
        _resources.Area(sessionId).Delete();
        _resources.Forget(sessionId);
        return current;
    }

    /// <summary>
    /// Validates input events against the session's state, commits them to its log in one transaction, and hands them
    /// to the session's runner. Returns the committed events. Nothing is committed when any event is invalid.
    /// </summary>
    public async Task<Result<IReadOnlyList<LoggedEvent>>> SendAsync(
        string workspaceId, string sessionId, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var session = await GetAsync(workspaceId, sessionId, cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error;
        }

        var rubrics = await Outcomes.FileRubrics.ResolveAsync(_parts.Files, workspaceId, inputs, i => inputs.Count == 1 ? "event" : $"events[{i}]", cancellationToken);
        return rubrics.IsSuccess ? await SendAsync(session.Value, rubrics.Value, cancellationToken) : rubrics.Error;
    }

    /// <summary>New IDs for input events sent on to the session's owner on another node, so that sending them again can be recognised.</summary>
    public IReadOnlyList<string> NewEventIds(int count) => [.. Enumerable.Range(0, count).Select(_ => _parts.Ids.NewId(IdPrefixes.Event))];

    /// <summary>
    /// Sends input events, whose IDs were given by their first send, again: that send may have been committed by an owner
    /// that died before it answered. Events already in the log are answered as logged, not committed twice, and are handed
    /// to the runner when nothing followed them (the dead owner's runner never took them); otherwise as <see cref="SendAsync(string, string, IReadOnlyList{SessionEvent}, CancellationToken)"/>.
    /// </summary>
    public async Task<Result<IReadOnlyList<LoggedEvent>>> ResendAsync(
        string workspaceId, string sessionId, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var session = await GetAsync(workspaceId, sessionId, cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error;
        }

        var log = LogId.Of(session.Value.Id);
        var logged = await SentEvents.FindAsync(Store, log, inputs, cancellationToken);
        if (logged.Count == 0)
        {
            return await SendAsync(workspaceId, sessionId, inputs, cancellationToken);
        }

        var last = await Store.ListEventsAsync(log.Value, new EventQuery { Descending = true }, new PageRequest(1), cancellationToken);
        if (last.Items.Single().Sequence == logged[^1].Sequence)
        {
            _parts.Runners.Deliver(log, logged);
        }

        return Result<IReadOnlyList<LoggedEvent>>.Ok(logged);
    }

    private async Task<Result<IReadOnlyList<LoggedEvent>>> SendAsync(Session session, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return LucidError.Invalid("events", "At least one event is required.");
        }

        if (session.ArchivedAt is not null || session.Status == SessionStatus.Terminated)
        {
            return LucidError.Conflict($"Session '{session.Id}' is {(session.ArchivedAt is not null ? "archived" : "terminated")} and takes no more events.");
        }

        if (session.Budget is { } budget && budget.IsReachedBy(session.Usage.ListCostUsd) && inputs.Any(e => e is not UserInterruptEvent))
        {
            return LucidError.Conflict(
                $"Session '{session.Id}' has reached its budget: it has cost {MonetaryAmount.FromUsd(session.Usage.ListCostUsd ?? 0).Amount} of {budget.MaxListCost.Amount} cents at list prices. Raise budget.max_list_cost (POST /v1/sessions/{session.Id}) to send more events.");
        }

        if (await CheckInterruptTargetsAsync(session.Id, inputs, cancellationToken) is { } targetError)
        {
            return targetError;
        }

        if (await CheckCommandChecksAsync(session, inputs, cancellationToken) is { } checkError)
        {
            return checkError;
        }

        var log = LogId.Of(session.Id);
        var runner = _parts.Runners.Of(log);
        var committed = await runner.AppendCheckedAsync(WithOutcomeIds(inputs), c => SessionInputRules.CheckAgainstState(inputs, c, session.Id), cancellationToken);
        if (committed.IsSuccess)
        {
            _parts.Runners.Deliver(log, committed.Value, runner);
            var primary = SessionThread.PrimaryId(session.Id);
            foreach (var interrupt in inputs.OfType<UserInterruptEvent>().Where(i => i.SessionThreadId != primary))
            {
                await _parts.Threads.TerminateAsync(session.Id, interrupt.SessionThreadId, CancellationToken.None);
            }
        }

        return committed;
    }

    // Each outcome the user defines gets its ID as it is sent.
    private List<SessionEvent> WithOutcomeIds(IReadOnlyList<SessionEvent> inputs) =>
        [.. inputs.Select(e => e is UserDefineOutcomeEvent outcome ? outcome with { OutcomeId = _parts.Ids.NewId(IdPrefixes.Outcome) } : e)];

    // Read the pinned agent only when an outcome brings a command check.
    private async Task<LucidError?> CheckCommandChecksAsync(Session session, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        if (!inputs.Any(e => e is UserDefineOutcomeEvent { Checks: { } checks } && checks.Any(c => c is Outcomes.CommandCheck)))
        {
            return null;
        }

        var agent = await _parts.Agents.GetAsync(session.AgentId, session.AgentVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing.");
        return SessionInputRules.CheckCommandChecks(inputs, i => inputs.Count == 1 ? "event" : $"events[{i}]", agent, _parts.Options.Sandbox);
    }

    // An interrupt may name the primary thread or a child thread of the session.
    private async Task<LucidError?> CheckInterruptTargetsAsync(string sessionId, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not UserInterruptEvent { SessionThreadId: { } target } || target == SessionThread.PrimaryId(sessionId))
            {
                continue;
            }

            if (await Store.GetThreadAsync(target, cancellationToken) is not { } thread || thread.SessionId != sessionId)
            {
                return LucidError.Invalid(
                    $"{(inputs.Count == 1 ? "event" : $"events[{i}]")}.session_thread_id",
                    $"'{target}' is not a thread of session '{sessionId}'; name one of its threads, or omit session_thread_id to interrupt every thread.");
            }
        }

        return null;
    }

    // The logs of a session and its threads.
    private static List<LogId> Logs(string sessionId, IReadOnlyList<SessionThread> threads) =>
        [.. threads.Select(t => LogId.Of(t.Id)), LogId.Of(sessionId)];

    // A session whose primary or any child thread is working cannot be archived or deleted: an archived session takes
    // no interrupt, so a thread left running could never be stopped.
    private static LucidError? Busy(Session session, IReadOnlyList<SessionThread> threads, string doing)
    {
        if (session.Status == SessionStatus.Running)
        {
            return LucidError.Conflict($"Session '{session.Id}' is running; send user.interrupt and wait for it to go idle before {doing} it.");
        }

        var working = threads
            .Where(t => t.Status is SessionStatus.Running or SessionStatus.Rescheduling).Select(t => t.Id).ToList();
        return working.Count == 0
            ? null
            : LucidError.Conflict($"Thread{(working.Count > 1 ? "s" : "")} {string.Join(", ", working)} of session '{session.Id}' {(working.Count > 1 ? "are" : "is")} running; send user.interrupt to the session, which terminates its threads, before {doing} it.");
    }

    // A work directory Lucid made for the session goes with it; one the caller named (lucid run --directory) stays.
    private void DeleteOwnWorkDirectory(Session session)
    {
        var root = Path.GetFullPath(_parts.Options.WorkDirectoriesRoot) + Path.DirectorySeparatorChar;
        var own = Path.GetFullPath(Path.Combine(_parts.Options.WorkDirectoriesRoot, session.Id));
        if (session.WorkDirectory == own && own.StartsWith(root, StringComparison.Ordinal) && Directory.Exists(own))
        {
            try
            {
                Directory.Delete(own, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The session is gone either way; a directory that cannot be removed now is left for the operator.
            }
        }
    }
}
