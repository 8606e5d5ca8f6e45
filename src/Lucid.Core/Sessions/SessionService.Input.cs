using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Threads;
using Lucid.Validation;

namespace Lucid.Sessions;

/// <summary>Input events: validated against the session's state, committed to its log, handed to its runner.</summary>
public sealed partial class SessionService
{
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
}
