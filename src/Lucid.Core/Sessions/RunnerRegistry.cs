using System.Collections.Concurrent;
using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>
/// The one runner each active log (a session's or a thread's) has. A runner retires after being idle for a while:
/// one sweep, every half of the idle timeout, retires those that waited for input longer than it (so a runner retires
/// between one and one and a half timeouts after its last input). The next input or append starts a new one, which
/// reads the log once.
/// </summary>
internal sealed class RunnerRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<LogId, Lazy<SessionRunner>> _runners = new();
    private readonly Func<LogId, CreatedSession?, SessionRunner> _create;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _sweep;
    private int _sweeping;
    private bool _disposed;

    /// <param name="create">Starts the runner of a log; given the session it just created, the runner reads nothing.</param>
    /// <param name="time">The clock of the idle sweep.</param>
    /// <param name="idleTimeout">How long a runner waits for input before it retires.</param>
    public RunnerRegistry(Func<LogId, CreatedSession?, SessionRunner> create, TimeProvider time, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        _create = create;
        _time = time;
        _idleTimeout = idleTimeout;
        var period = idleTimeout / 2;
        using (ExecutionContext.SuppressFlow())
        {
            _sweep = time.CreateTimer(_ => SweepIdle(), null, period, period);
        }
    }

    /// <summary>Raised when a runner retires for being idle (for tests and diagnostics).</summary>
    public event Action<LogId>? RunnerRetired;

    /// <summary>How many logs have a runner now.</summary>
    public int Count => _runners.Count;

    /// <summary>How many sessions (not threads) have a runner now.</summary>
    public int Sessions => _runners.Keys.Count(log => !log.IsThread);

    /// <summary>The runner of a log, started if it has none.</summary>
    public SessionRunner Of(LogId logId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _runners.GetOrAdd(logId, id => new Lazy<SessionRunner>(() => _create(id, null))).Value;
    }

    /// <summary>The runner the log has now, if any; none is started.</summary>
    public SessionRunner? Find(LogId logId) =>
        _runners.TryGetValue(logId, out var runner) && runner.IsValueCreated ? runner.Value : null;

    /// <summary>Starts the runner of a session just created, from the events it was created with, and hands them to it.</summary>
    public void StartNew(CreatedSession created)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var log = LogId.Of(created.Session.Id);
        var runner = _runners.GetOrAdd(log, id => new Lazy<SessionRunner>(() => _create(id, created))).Value;
        if (created.Events.Count > 0)
        {
            Deliver(log, created.Events, runner);
        }
    }

    /// <summary>
    /// Hands committed inputs to the log's runner, replacing it if it retired in the meantime (its successor reads the
    /// same log, so nothing is lost).
    /// </summary>
    public void Deliver(LogId logId, IReadOnlyList<LoggedEvent> inputs, SessionRunner? runner = null)
    {
        runner ??= Of(logId);
        while (!runner.Post(inputs))
        {
            Retired(runner);
            runner = Of(logId);
        }
    }

    /// <summary>Retires the runners that have waited for input longer than the idle timeout.</summary>
    private void SweepIdle()
    {
        // A sweep that outlasts the period is not overlapped by the next one.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var idleBefore = _time.GetTimestamp() - (long)(_idleTimeout.TotalSeconds * _time.TimestampFrequency);
            foreach (var (_, runner) in _runners)
            {
                if (runner.IsValueCreated && runner.Value.TryRetire(idleBefore))
                {
                    Retired(runner.Value);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>Forgets a runner that retired for being idle, and releases it.</summary>
    public void Retired(SessionRunner runner)
    {
        if (_runners.TryGetValue(runner.LogId, out var current) && current.IsValueCreated && current.Value == runner
            && _runners.TryRemove(KeyValuePair.Create(runner.LogId, current)))
        {
            _ = Task.Run(async () => await runner.DisposeAsync());
            RunnerRetired?.Invoke(runner.LogId);
        }
    }

    /// <summary>Stops and forgets the runners of deleted logs.</summary>
    public async Task RemoveAsync(IEnumerable<LogId> logIds)
    {
        foreach (var id in logIds)
        {
            if (_runners.TryRemove(id, out var runner) && runner.IsValueCreated)
            {
                await runner.Value.DisposeAsync();
            }
        }
    }

    /// <summary>Stops every runner; committed events stay in the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _sweep.DisposeAsync();
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
