using Lucid.Events;
using Lucid.Results;
using Lucid.Threads;
using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

/// <summary>
/// The actor of one log — a session's, or a child thread's (<c>sthr_…</c>: the thread's own log, agent and context; its
/// statuses are written as <c>session.thread_status_*</c> and cross-posted to the session's log). It owns the log's
/// conversation: the log is read once when the runner starts, and every later append goes through
/// <see cref="AppendAsync"/>, which folds what it committed straight in. Its mailbox holds committed input events,
/// handled one at a time by <see cref="TurnLoop"/> on a task that runs while there are any (an idle runner holds no
/// task, timer or waiter); only an interrupt bypasses the mailbox, to stop the running turn.
/// It is about 475 lines and stays whole: the mailbox, the running turn, the held events and the conversation
/// share one lock's invariants, which split across types would be harder to see.
/// </summary>
internal sealed class SessionRunner : ITurnLog, IAsyncDisposable
{
    private const int LoadPageSize = 500;
    private readonly EngineParts _parts;
    private readonly ILogger _logger;
    private readonly Queue<LoggedEvent> _mailbox = new();
    private readonly SemaphoreSlim _stateLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Conversation _conversation;
    private readonly List<SessionEvent> _held = [];
    private readonly bool _isThread;
    private readonly Lock _turnLock = new();
    private readonly Lock _mailboxLock = new();
    private readonly Task _loaded;
    private readonly TurnLoop _turns;
    private CancellationTokenSource? _turn;
    private SessionThread? _thread;
    private long _turnStartSequence;
    private long _interruptSequence;
    private long _consumedSequence;
    private Task _draining = Task.CompletedTask;
    private long _idleSince;
    private bool _busy;
    private bool _retired;

    /// <param name="logId">The log the runner drives.</param>
    /// <param name="parts">The engine's shared parts.</param>
    /// <param name="created">The session when the caller just created it, with its whole log; otherwise the runner reads its log.</param>
    public SessionRunner(LogId logId, EngineParts parts, CreatedSession? created = null)
    {
        LogId = logId;
        _parts = parts;
        _logger = parts.Logs.CreateLogger<SessionRunner>();
        _isThread = SessionThread.IsThreadId(logId);
        _conversation = new Conversation(_isThread ? logId : null);
        _turns = new TurnLoop(this, parts, created?.Session, _logger);
        WorkspaceId = created?.Session.WorkspaceId;
        _idleSince = parts.Time.GetTimestamp();

        // The runner outlives the request that started it: it must not carry that request's execution context (its
        // trace activity and log scopes), which would keep them alive and make every later turn look like its child.
        using (ExecutionContext.SuppressFlow())
        {
            if (created is null)
            {
                _loaded = LoadAsync(_stopping.Token);
            }
            else
            {
                foreach (var e in created.Events)
                {
                    _conversation.Apply(e);
                }

                _loaded = Task.CompletedTask;
            }
        }
    }

    /// <inheritdoc />
    public LogId LogId { get; }

    /// <summary>The workspace of the session, when the runner was started with the session it was created with; else null.</summary>
    public string? WorkspaceId { get; }

    /// <summary>The thread this runner drives, or null for a session's primary thread.</summary>
    public async Task<SessionThread?> ThreadAsync(CancellationToken cancellationToken) =>
        !_isThread ? null
        : _thread ??= await _parts.Store.GetThreadAsync(LogId, cancellationToken)
            ?? throw new InvalidOperationException($"Thread {LogId} is missing from the store.");

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<Conversation, T> read, CancellationToken cancellationToken)
    {
        await _stateLock.WaitAsync(cancellationToken);
        try
        {
            await _loaded.WaitAsync(cancellationToken);
            return read(_conversation);
        }
        finally
        {
            _stateLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> AppendAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        var appended = await AppendCheckedAsync(events, null, cancellationToken);
        return appended.IsSuccess ? appended.Value : throw new InvalidOperationException(appended.Error.Message);
    }

    /// <summary>
    /// Commits events to the log and folds them into the conversation, under the state lock, after
    /// <paramref name="check"/> (when given) found nothing wrong with them against the conversation; a check's error
    /// commits nothing.
    /// </summary>
    public async Task<Result<IReadOnlyList<LoggedEvent>>> AppendCheckedAsync(
        IReadOnlyList<SessionEvent> events, Func<Conversation, LucidError?>? check, CancellationToken cancellationToken)
    {
        var thread = await ThreadAsync(cancellationToken);
        if (thread is null && events.Any(e => e is SessionStatusIdleEvent))
        {
            await RecordOutputsAsync(cancellationToken);
        }

        IReadOnlyList<LoggedEvent> logged;
        await _stateLock.WaitAsync(cancellationToken);
        try
        {
            await _loaded.WaitAsync(cancellationToken);
            if (check?.Invoke(_conversation) is { } error)
            {
                return error;
            }

            var held = _held.Count;
            var all = UsageSnapshots.BeforeIdle(held == 0 ? events : [.. _held, .. events], _conversation.UsageUnreported);
            var committed = await _parts.Events.AppendAsync(LogId, thread is null ? all : [.. all.Select(thread.OwnStatus)], cancellationToken);
            _held.Clear();
            if (committed.Count > 0 && committed[0].Sequence > _conversation.Sequence + 1)
            {
                // Someone appended past this runner (a runner that retired while a caller still held it, a dream's
                // journal): fold the gap in first. The usual path reads nothing back.
                await FoldLogAsync(committed[0].Sequence - 1, CancellationToken.None);
            }

            foreach (var e in committed)
            {
                _conversation.Apply(e);
            }

            logged = held == 0 ? committed : [.. committed.Skip(held)];
        }
        finally
        {
            _stateLock.Release();
        }

        // A thread's status changes are cross-posted to the session's primary stream, where clients follow the session.
        if (thread is not null && logged.Where(l => l.Event is SessionThreadStatusEvent).Select(l => l.Event with { Id = "" }).ToList() is { Count: > 0 } copies)
        {
            await _parts.Runners.Of(LogId.Of(thread.SessionId)).AppendAsync(copies, CancellationToken.None);
        }

        return Result<IReadOnlyList<LoggedEvent>>.Ok(logged);
    }

    /// <inheritdoc />
    public async Task AppendWithNextAsync(SessionEvent e)
    {
        // Held under the state lock, as the append that takes them reads them under it.
        await _stateLock.WaitAsync(CancellationToken.None);
        try
        {
            _held.Add(_parts.Events.Stamp(e));
        }
        finally
        {
            _stateLock.Release();
        }
    }

    /// <inheritdoc />
    public T Stamp<T>(T e)
        where T : SessionEvent => _parts.Events.Stamp(e);

    /// <summary>
    /// Queues committed input events for the runner. Returns false, queuing none, when the runner has retired for being
    /// idle; the registry then hands them to a new runner.
    /// </summary>
    public bool Post(IReadOnlyList<LoggedEvent> inputs)
    {
        lock (_mailboxLock)
        {
            if (_retired)
            {
                return false;
            }

            foreach (var input in inputs)
            {
                _mailbox.Enqueue(input);
            }

            if (!_busy)
            {
                // An idle runner keeps no task waiting on its mailbox: the first input starts one that drains it.
                _busy = true;
                using (ExecutionContext.SuppressFlow())
                {
                    _draining = Task.Run(DrainAsync);
                }
            }
        }

        foreach (var input in inputs.Where(i => i.Event is UserInterruptEvent interrupt && IsOwn(interrupt)))
        {
            Interrupt(input.Sequence);
        }

        return true;
    }

    /// <summary>Records that the log's turn is redone after its process stopped; the registry then queues the redo.</summary>
    public Task<IReadOnlyList<LoggedEvent>> RescheduleAsync(CancellationToken cancellationToken) =>
        AppendAsync([new SessionStatusRescheduledEvent()], cancellationToken);

    // Folds the whole log into the conversation, once, when the runner starts.
    private Task LoadAsync(CancellationToken cancellationToken) => FoldLogAsync(long.MaxValue, cancellationToken);

    private async Task FoldLogAsync(long upTo, CancellationToken cancellationToken)
    {
        while (_conversation.Sequence < upTo)
        {
            var page = await _parts.Events.Log.ReadAsync(LogId, _conversation.Sequence, LoadPageSize, cancellationToken);
            foreach (var e in page.Where(e => e.Sequence <= upTo))
            {
                _conversation.Apply(e);
            }

            if (page.Count < LoadPageSize)
            {
                return;
            }
        }
    }

    // An interrupt that names a child thread is recorded in the session's log but stops only that thread.
    private bool IsOwn(UserInterruptEvent interrupt) =>
        _isThread || interrupt.SessionThreadId is null || interrupt.SessionThreadId == SessionThread.PrimaryId(LogId);

    /// <summary>Whether the runner waits for input: nothing is queued and no input is being handled.</summary>
    public bool IsWaiting
    {
        get
        {
            lock (_mailboxLock)
            {
                return !_busy;
            }
        }
    }

    /// <summary>
    /// Retires the runner when it has waited for input since before <paramref name="idleBefore"/> (a
    /// <see cref="TimeProvider"/> timestamp) and nothing is queued; a <see cref="Post"/> that comes after finds it closed.
    /// </summary>
    public bool TryRetire(long idleBefore)
    {
        lock (_mailboxLock)
        {
            if (_retired || _busy || _idleSince > idleBefore)
            {
                return false;
            }

            _retired = true;
            return true;
        }
    }

    private void Interrupt(long sequence)
    {
        lock (_turnLock)
        {
            _interruptSequence = Math.Max(_interruptSequence, sequence);
            if (_turn is not null && _turnStartSequence < sequence)
            {
                _turn.Cancel();
            }
        }
    }

    // A session's outputs are recorded before it says it is idle, so a client that saw it go idle finds them listed.
    // Failing to record them must not keep the session from going idle: the next idle tries again.
    private async Task RecordOutputsAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var skipped in await _parts.Outputs.RecordAsync(LogId.Value, cancellationToken))
            {
                SessionLog.OutputSkipped(_logger, LogId.Value, skipped);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SessionLog.OutputsFailed(_logger, ex, LogId.Value);
        }
    }

    // Handles the queued inputs one at a time, then marks the runner idle.
    private async Task DrainAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                LoggedEvent? input;
                lock (_mailboxLock)
                {
                    if (!_mailbox.TryDequeue(out input))
                    {
                        _busy = false;
                        _idleSince = _parts.Time.GetTimestamp();
                        return;
                    }
                }

                await HandleSafelyAsync(input, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task HandleSafelyAsync(LoggedEvent input, CancellationToken stopping)
    {
        try
        {
            await HandleAsync(input, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the engine must not kill the log's actor: record it, go idle, keep serving.
            SessionLog.HandlingFailed(_logger, ex, LogId, input.Event.Type);
            try
            {
                await AppendAsync(
                    [
                        new SessionErrorEvent { Error = new SessionError("unknown_error", ex.Message, RetryStatus.Terminal) },
                        new SessionStatusIdleEvent { StopReason = StopReason.EndTurn },
                    ],
                    CancellationToken.None);
            }
            catch (Exception recordFailure)
            {
                // The store itself is failing (locked, full): the session stays as its log says, and the next start of
                // the server resumes it.
                SessionLog.HandlingFailed(_logger, recordFailure, LogId, "session.error");
            }
        }
    }

    private async Task HandleAsync(LoggedEvent input, CancellationToken stopping)
    {
        switch (input.Event)
        {
            case UserMessageEvent or UserDefineOutcomeEvent or AgentThreadMessageReceivedEvent when input.Sequence <= _consumedSequence || input.Sequence < Volatile.Read(ref _interruptSequence):
                // Already answered by an earlier turn that saw it, or interrupted before its turn began.
                return;
            case UserMessageEvent or UserDefineOutcomeEvent or AgentThreadMessageReceivedEvent:
                await RunTurnAsync(resume: false, stopping);
                return;
            case UserInterruptEvent when _isThread:
                // A thread is interrupted only when its session is, and then it ends for good (once).
                if (!await ReadAsync(c => c.TerminationLogged, stopping))
                {
                    await _turns.AbandonPendingCallsAsync(stopping);
                    await AppendAsync([new SessionStatusTerminatedEvent()], CancellationToken.None);
                }

                return;
            case UserToolConfirmationEvent:
                // Several confirmations of one batch are carried out by the first turn; the later ones find nothing to do.
                if (await ReadAsync(c => c.Pending.Any(p => p.Confirmation is not null), stopping))
                {
                    await RunTurnAsync(resume: false, stopping);
                }

                return;
            case UserCustomToolResultEvent:
                if (await ReadAsync(c => c.Pending.All(p => p.Confirmation is not null), stopping))
                {
                    await RunTurnAsync(resume: false, stopping);
                }

                return;
            case UserInterruptEvent interrupt when IsOwn(interrupt):
                await _turns.AbandonPendingCallsAsync(stopping);
                return;
            case SessionStatusRescheduledEvent or SessionThreadStatusRescheduledEvent:
                await RunTurnAsync(resume: true, stopping);
                return;
        }
    }

    private async Task RunTurnAsync(bool resume, CancellationToken stopping)
    {
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // A thread that was interrupted ends for good: an input that reaches it afterwards (a lead's message that was
        // already on its way) runs no turn, and is answered with the thread's terminated status, which a lead waiting
        // on it reads (when the interrupt is still queued, its handling writes that status). An interrupt committed
        // after this read cancels the turn below.
        var (startSequence, ended, terminated) = await ReadAsync(c => (c.Sequence, c.Ended, c.TerminationLogged), stopping);
        if (ended)
        {
            if (terminated)
            {
                await AppendAsync([new SessionStatusTerminatedEvent()], CancellationToken.None);
            }

            return;
        }

        lock (_turnLock)
        {
            if (_interruptSequence > startSequence)
            {
                return;
            }

            _turn = turn;
            _turnStartSequence = startSequence;
        }

        _consumedSequence = startSequence;
        try
        {
            await _turns.RunAsync(resume, turn.Token);
        }
        catch (OperationCanceledException) when (turn.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await _turns.CloseInterruptedTurnAsync();
        }
        finally
        {
            lock (_turnLock)
            {
                _turn = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task draining;
        lock (_mailboxLock)
        {
            _retired = true;
            draining = _draining;
        }

        await _stopping.CancelAsync();
        await draining;
        await _turns.DisposeAsync();
        _stopping.Dispose();
        // The state lock is not disposed: a send that picked this runner just before it retired may still take it.
    }
}
