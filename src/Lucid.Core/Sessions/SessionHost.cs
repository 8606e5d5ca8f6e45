using System.Collections.Concurrent;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Threads;
using Lucid.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Sessions;

/// <summary>
/// The session engine's front door: creates sessions, validates and commits input events, and hands them to the one
/// runner each active session has. Everything a session does is in its event log, committed before anyone sees it.
/// </summary>
public sealed class SessionHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SessionRunner>> _runners = new(StringComparer.Ordinal);
    private readonly ILoggerFactory _loggerFactory;
    private bool _disposed;

    /// <summary>Creates a host over a store and a model resolver.</summary>
    public SessionHost(
        ILucidStore store,
        IChatClientResolver models,
        SessionEngineOptions? options = null,
        TimeProvider? timeProvider = null,
        IdGenerator? ids = null,
        ILoggerFactory? loggerFactory = null)
    {
        Store = store;
        Models = models;
        Options = options ?? new SessionEngineOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
        Ids = ids ?? IdGenerator.Random;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Events = new EventHub(store);
        Memory = new MemoryService(store, TimeProvider, Ids);
    }

    /// <summary>The most memory stores one session may mount.</summary>
    public const int MaxMemoryStores = 8;

    /// <summary>Memory stores: sessions mount them, and their agents' writes go through this service.</summary>
    public MemoryService Memory { get; }

    /// <summary>The store.</summary>
    public ILucidStore Store { get; }

    /// <summary>Resolves agents' model strings to chat clients.</summary>
    public IChatClientResolver Models { get; }

    /// <summary>The engine's settings.</summary>
    public SessionEngineOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The ID source.</summary>
    public IdGenerator Ids { get; }

    /// <summary>Commits and publishes events; subscribe here to follow a session.</summary>
    public EventHub Events { get; }

    /// <summary>
    /// Creates a session pinned to an agent version, then sends its initial events. Nothing is stored when any part of
    /// the definition is invalid.
    /// </summary>
    public async Task<Result<Session>> CreateSessionAsync(string workspaceId, SessionDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!IdPrefixes.Has(definition.AgentId, IdPrefixes.Agent))
        {
            return LucidError.Invalid("agent", $"'{definition.AgentId}' is not an agent ID (agent_…).");
        }

        if (!IdPrefixes.Has(definition.EnvironmentId, IdPrefixes.Environment))
        {
            return LucidError.Invalid("environment_id", $"'{definition.EnvironmentId}' is not an environment ID (env_…).");
        }

        if (Rules.Metadata(definition.Metadata) is { } metadataError)
        {
            return metadataError;
        }

        if (definition.InitialEvents.Count > Rules.MaxInitialEvents)
        {
            return LucidError.Invalid("initial_events", $"At most {Rules.MaxInitialEvents} initial events are allowed; got {definition.InitialEvents.Count}.");
        }

        for (var i = 0; i < definition.InitialEvents.Count; i++)
        {
            var error = definition.InitialEvents[i] switch
            {
                UserMessageEvent message => CheckMessage(message, $"initial_events[{i}]"),
                UserDefineOutcomeEvent outcome => CheckOutcome(outcome, $"initial_events[{i}]"),
                var other => LucidError.Invalid($"initial_events[{i}]", $"Initial events may only be user.message or user.define_outcome; got {other.Type}."),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (definition.InitialEvents.OfType<UserDefineOutcomeEvent>().Skip(1).Any())
        {
            return LucidError.Invalid("initial_events", "A session works toward one outcome at a time; define the next after the first ends.");
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

        var environment = await Store.GetEnvironmentAsync(definition.EnvironmentId, cancellationToken);
        if (environment is null || environment.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Environment", definition.EnvironmentId);
        }

        if (environment.ArchivedAt is not null)
        {
            return LucidError.Invalid("environment_id", $"Environment '{environment.Id}' is archived; sessions can no longer use it.");
        }

        var resources = await MountsAsync(workspaceId, definition.Resources, cancellationToken);
        if (!resources.IsSuccess)
        {
            return resources.Error;
        }

        var now = TimeProvider.GetUtcNow();
        var id = Ids.NewId(IdPrefixes.Session);
        var workDirectory = Path.GetFullPath(definition.WorkDirectory ?? Path.Combine(Options.WorkspacesRoot, id));
        Directory.CreateDirectory(workDirectory);
        var session = new Session
        {
            Id = id,
            WorkspaceId = workspaceId,
            AgentId = agent.Id,
            AgentVersion = agent.Version,
            EnvironmentId = environment.Id,
            WorkDirectory = workDirectory,
            Title = definition.Title,
            Metadata = definition.Metadata,
            Resources = resources.Value,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await Store.CreateSessionAsync(session, cancellationToken);
        if (definition.InitialEvents.Count > 0)
        {
            var sent = await SendAsync(workspaceId, id, definition.InitialEvents, cancellationToken);
            if (!sent.IsSuccess)
            {
                return sent.Error;
            }
        }

        return session;
    }

    // Checks each attachment and snapshots what the agent will see: name, description and a mount path unique in the session.
    private async Task<Result<IReadOnlyList<MemoryStoreResource>>> MountsAsync(
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

            var store = await Memory.GetStoreAsync(workspaceId, attachment.MemoryStoreId, cancellationToken);
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

    /// <summary>
    /// Picks up the sessions that were running when the process stopped: each records <c>session.status_rescheduled</c>
    /// and its turn is redone from the last committed event; so does every thread that was running
    /// (<c>session.thread_status_rescheduled</c>). Returns how many sessions were rescheduled.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var query = new SessionQuery { IncludeArchived = true, Statuses = new HashSet<SessionStatus> { SessionStatus.Running, SessionStatus.Rescheduling }, Ascending = true };
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await Store.ListSessionsAsync(null, query, new PageRequest(100, cursor), cancellationToken);
            foreach (var session in page.Items)
            {
                Deliver(session.Id, await Runner(session.Id).RescheduleAsync(cancellationToken));
                count++;
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);

        // Threads that were working redo their turns too, whether or not their lead was; a lead may wait for them again.
        // A thread of an archived session (archived before archiving checked its threads) stays as it is: its session
        // takes no interrupt, so a redone turn could never be stopped.
        foreach (var thread in await Store.ListRunningThreadsAsync(cancellationToken))
        {
            if (await Store.GetSessionAsync(thread.SessionId, cancellationToken) is { ArchivedAt: null })
            {
                Deliver(thread.Id, await Runner(thread.Id).RescheduleAsync(cancellationToken));
            }
        }

        return count;
    }

    /// <summary>Returns a session of the workspace, or a not-found error.</summary>
    public async Task<Result<Session>> GetSessionAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var session = await Store.GetSessionAsync(sessionId, cancellationToken);
        return session is null || session.WorkspaceId != workspaceId ? LucidError.NotFound("Session", sessionId) : session;
    }

    /// <summary>Replaces a session's title and metadata.</summary>
    public async Task<Result<Session>> UpdateSessionAsync(
        string workspaceId, string sessionId, string? title, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var current = await GetSessionAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if (Rules.Metadata(metadata) is { } error)
        {
            return error;
        }

        var next = current.Value with { Title = title, Metadata = metadata, UpdatedAt = TimeProvider.GetUtcNow() };
        await Store.UpdateSessionAsync(next, cancellationToken);
        return await GetSessionAsync(workspaceId, sessionId, cancellationToken);
    }

    /// <summary>
    /// Archives a session: it stays readable and takes no more input. A running session, or one with a running thread,
    /// must be interrupted first.
    /// </summary>
    public async Task<Result<Session>> ArchiveSessionAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var current = await GetSessionAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        if (Busy(current.Value, await Store.ListThreadsAsync(sessionId, cancellationToken), "archiving") is { } busy)
        {
            return busy;
        }

        var now = TimeProvider.GetUtcNow();
        await Store.UpdateSessionAsync(current.Value with { ArchivedAt = now, UpdatedAt = now }, cancellationToken);
        return await GetSessionAsync(workspaceId, sessionId, cancellationToken);
    }

    /// <summary>
    /// Deletes a session, its whole event log, and the workspace directory Lucid made for it (a directory the caller named
    /// is kept). A running session, or one with a running thread, must be interrupted first.
    /// </summary>
    public async Task<Result<Session>> DeleteSessionAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var current = await GetSessionAsync(workspaceId, sessionId, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var threads = await Store.ListThreadsAsync(sessionId, cancellationToken);
        if (Busy(current.Value, threads, "deleting") is { } busy)
        {
            return busy;
        }

        var keys = threads.Select(t => t.Id).Append(sessionId).ToList();
        foreach (var key in keys)
        {
            if (_runners.TryRemove(key, out var runner) && runner.IsValueCreated)
            {
                await runner.Value.DisposeAsync();
            }
        }

        await Store.DeleteSessionAsync(sessionId, cancellationToken);
        foreach (var key in keys)
        {
            Events.Forget(key);
        }

        DeleteOwnWorkDirectory(current.Value);
        return current;
    }

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

    /// <summary>
    /// Validates input events against the session's state, commits them to its log in one transaction, and hands them
    /// to the session's runner. Returns the committed events. Nothing is committed when any event is invalid.
    /// </summary>
    public async Task<Result<IReadOnlyList<LoggedEvent>>> SendAsync(
        string workspaceId, string sessionId, IReadOnlyList<SessionEvent> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Count == 0)
        {
            return LucidError.Invalid("events", "At least one event is required.");
        }

        var session = await Store.GetSessionAsync(sessionId, cancellationToken);
        if (session is null || session.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Session", sessionId);
        }

        if (session.ArchivedAt is not null || session.Status == SessionStatus.Terminated)
        {
            return LucidError.Conflict($"Session '{sessionId}' is {(session.ArchivedAt is not null ? "archived" : "terminated")} and takes no more events.");
        }

        if (await CheckInterruptTargetsAsync(sessionId, inputs, cancellationToken) is { } targetError)
        {
            return targetError;
        }

        var runner = Runner(sessionId);
        var committed = await runner.WithConversationAsync<Result<IReadOnlyList<LoggedEvent>>>(
            async conversation =>
            {
                if (CheckAgainstState(inputs, conversation, sessionId) is { } error)
                {
                    return error;
                }

                var now = TimeProvider.GetUtcNow();
                var stamped = inputs.Select(e => (e is UserDefineOutcomeEvent outcome ? outcome with { OutcomeId = Ids.NewId(IdPrefixes.Outcome) } : e)
                    with { Id = Ids.NewId(IdPrefixes.Event), ProcessedAt = now }).ToList();
                var logged = await Events.AppendAsync(sessionId, stamped, cancellationToken);
                foreach (var e in logged)
                {
                    conversation.Apply(e);
                }

                return Result<IReadOnlyList<LoggedEvent>>.Ok(logged);
            },
            cancellationToken);

        if (committed.IsSuccess)
        {
            Deliver(sessionId, committed.Value, runner);
            var primary = SessionThread.PrimaryId(sessionId);
            foreach (var interrupt in inputs.OfType<UserInterruptEvent>().Where(i => i.SessionThreadId != primary))
            {
                await TerminateThreadsAsync(sessionId, interrupt.SessionThreadId, CancellationToken.None);
            }
        }

        return committed;
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

    /// <summary>Serializes thread creation, so the live-thread limit of a session holds under concurrent spawns.</summary>
    internal SemaphoreSlim ThreadGate { get; } = new(1, 1);

    /// <summary>Commits an input (a message, an interrupt) to a child thread's log and hands it to the thread's runner.</summary>
    internal async Task DeliverToThreadAsync(string threadId, SessionEvent input, CancellationToken cancellationToken)
    {
        var logged = await Events.AppendAsync(threadId, [input with { Id = Ids.NewId(IdPrefixes.Event), ProcessedAt = TimeProvider.GetUtcNow() }], cancellationToken);
        Deliver(threadId, logged);
    }

    // Whether a thread is the named one or was started, at any depth, by it.
    private static bool IsWithin(SessionThread thread, string ancestorId, IReadOnlyList<SessionThread> threads)
    {
        for (var current = thread; current is not null; current = threads.FirstOrDefault(t => t.Id == current.ParentThreadId))
        {
            if (current.Id == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    // An interrupt of the session stops every thread of it, at every depth: each gets the interrupt in its own log,
    // which ends its turn and terminates it. Thread creation is held off while a round lists and interrupts, and a
    // lead checks its turn's cancellation under the same gate, so an interrupted lead starts nothing after the round;
    // rounds repeat until one finds no thread left to interrupt. With onlyThreadId, only that thread and those it started.
    private async Task TerminateThreadsAsync(string sessionId, string? onlyThreadId, CancellationToken cancellationToken)
    {
        var interrupted = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            await ThreadGate.WaitAsync(cancellationToken);
            try
            {
                var threads = await Store.ListThreadsAsync(sessionId, cancellationToken);
                var targets = threads
                    .Where(t => t.IsLive && !interrupted.Contains(t.Id))
                    .Where(t => onlyThreadId is null || IsWithin(t, onlyThreadId, threads))
                    .ToList();
                if (targets.Count == 0)
                {
                    return;
                }

                foreach (var thread in targets)
                {
                    await DeliverToThreadAsync(thread.Id, new UserInterruptEvent(), cancellationToken);
                    interrupted.Add(thread.Id);
                }
            }
            finally
            {
                ThreadGate.Release();
            }
        }
    }

    // A workspace directory Lucid made for the session goes with it; one the caller named (lucid run --workspace) stays.
    private void DeleteOwnWorkDirectory(Session session)
    {
        var root = Path.GetFullPath(Options.WorkspacesRoot) + Path.DirectorySeparatorChar;
        var own = Path.GetFullPath(Path.Combine(Options.WorkspacesRoot, session.Id));
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

    // Hands committed inputs to the session's runner, replacing it if it retired in the meantime (its successor folds
    // the same log, so nothing is lost).
    private void Deliver(string sessionId, IReadOnlyList<LoggedEvent> inputs, SessionRunner? runner = null)
    {
        runner ??= Runner(sessionId);
        while (!runner.Post(inputs))
        {
            Retired(runner);
            runner = Runner(sessionId);
        }
    }

    /// <summary>Forgets a runner that retired for being idle, and releases it.</summary>
    internal void Retired(SessionRunner runner)
    {
        if (_runners.TryGetValue(runner.SessionId, out var current) && current.IsValueCreated && current.Value == runner
            && _runners.TryRemove(KeyValuePair.Create(runner.SessionId, current)))
        {
            _ = Task.Run(async () => await runner.DisposeAsync());
            RunnerRetired?.Invoke(runner.SessionId);
        }
    }

    /// <summary>Raised when a session's runner retires for being idle (for tests and diagnostics).</summary>
    internal event Action<string>? RunnerRetired;

    /// <summary>How many sessions have a runner now.</summary>
    internal int ActiveRunners => _runners.Count;

    private SessionRunner Runner(string sessionId) =>
        _runners.GetOrAdd(sessionId, id => new Lazy<SessionRunner>(() => new SessionRunner(id, this, _loggerFactory.CreateLogger<SessionRunner>()))).Value;

    // Checks each input against the pending tool calls, as they will be after the inputs before it.
    private static LucidError? CheckAgainstState(IReadOnlyList<SessionEvent> inputs, Conversation conversation, string conversationSessionId)
    {
        var waiting = conversation.Pending.Where(p => p.Confirmation is null).ToDictionary(p => p.EventId, StringComparer.Ordinal);
        var outcomeActive = conversation.Outcome is not null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = inputs.Count == 1 ? "event" : $"events[{i}]";
            switch (inputs[i])
            {
                case UserMessageEvent message:
                    if (CheckMessage(message, field) is { } messageError)
                    {
                        return messageError;
                    }

                    if (waiting.Count > 0)
                    {
                        return LucidError.Conflict(
                            $"The session is waiting for the client on {string.Join(", ", waiting.Keys)}; answer with user.tool_confirmation or user.custom_tool_result, or send user.interrupt, before a new message.");
                    }

                    break;
                case UserToolConfirmationEvent confirmation:
                    if (!waiting.Remove(confirmation.ToolUseId, out var call) || call.IsCustom)
                    {
                        return LucidError.Invalid($"{field}.tool_use_id", $"'{confirmation.ToolUseId}' is not a tool call waiting for confirmation.");
                    }

                    break;
                case UserCustomToolResultEvent result:
                    if (!waiting.Remove(result.CustomToolUseId, out var custom) || !custom.IsCustom)
                    {
                        return LucidError.Invalid($"{field}.custom_tool_use_id", $"'{result.CustomToolUseId}' is not a custom tool call waiting for its result.");
                    }

                    break;
                case UserDefineOutcomeEvent outcome:
                    if (CheckOutcome(outcome, field) is { } outcomeError)
                    {
                        return outcomeError;
                    }

                    if (outcomeActive)
                    {
                        return LucidError.Conflict("The session is already working toward an outcome; define the next one after it ends, or send user.interrupt.");
                    }

                    if (waiting.Count > 0)
                    {
                        return LucidError.Conflict($"The session is waiting for the client on {string.Join(", ", waiting.Keys)}; answer those first.");
                    }

                    outcomeActive = true;
                    break;
                case UserInterruptEvent interrupt:
                    if (interrupt.SessionThreadId is null || interrupt.SessionThreadId == SessionThread.PrimaryId(conversationSessionId))
                    {
                        waiting.Clear();
                    }

                    break;
                default:
                    return LucidError.Invalid($"{field}.type", $"'{inputs[i].Type}' is not an event a client can send.");
            }
        }

        return null;
    }

    private static LucidError? CheckOutcome(UserDefineOutcomeEvent outcome, string field) =>
        string.IsNullOrWhiteSpace(outcome.Description) ? LucidError.Invalid($"{field}.description", "An outcome needs a description: what the agent should produce.")
        : string.IsNullOrWhiteSpace(outcome.Rubric.Content) ? LucidError.Invalid($"{field}.rubric", "An outcome needs a rubric: how to grade it.")
        : outcome.Rubric.Content.Length > Rules.MaxRubricLength ? LucidError.Invalid($"{field}.rubric.content", $"A rubric may have at most {Rules.MaxRubricLength:N0} characters.")
        : outcome.MaxIterations is < 1 or > UserDefineOutcomeEvent.MostIterations ? LucidError.Invalid($"{field}.max_iterations", $"max_iterations must be 1 to {UserDefineOutcomeEvent.MostIterations}.")
        : outcome.GraderSamples is < 1 or > Rules.MaxGraderSamples ? LucidError.Invalid($"{field}.grader_samples", $"grader_samples must be 1 to {Rules.MaxGraderSamples}.")
        : null;

    private static LucidError? CheckMessage(UserMessageEvent message, string field) =>
        message.Content.Count == 0 || message.Content.All(b => b is TextBlock { Text.Length: 0 })
            ? LucidError.Invalid($"{field}.content", "A user.message needs at least one non-empty content block.")
            : null;

    /// <summary>Stops every runner; committed events stay in the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var runner in _runners.Values)
        {
            if (runner.IsValueCreated)
            {
                await runner.Value.DisposeAsync();
            }
        }

        _runners.Clear();
    }
}
