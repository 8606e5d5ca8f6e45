using System.Collections.Concurrent;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Threads;

/// <summary>
/// Keeps a session's threads in line: one gate per session serializes thread creation against session-wide
/// interrupts, input reaches a thread through its runner, and an interrupt of the session terminates its threads.
/// </summary>
internal sealed class ThreadSupervisor(IThreadStore threads, RunnerRegistry runners)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The gate that serializes thread creation in a session, so its live-thread limit holds under concurrent spawns.</summary>
    public SemaphoreSlim GateOf(string sessionId) => _gates.GetOrAdd(sessionId, static _ => new SemaphoreSlim(1, 1));

    /// <summary>Forgets a deleted session's gate.</summary>
    public void Forget(string sessionId) => _gates.TryRemove(sessionId, out _);

    /// <summary>Commits an input (a message, an interrupt) to a thread's log through its runner, and hands it to the runner.</summary>
    public async Task DeliverAsync(string threadId, SessionEvent input, CancellationToken cancellationToken)
    {
        var log = LogId.Of(threadId);
        var runner = runners.Of(log);
        var logged = await runner.AppendAsync([input], cancellationToken);
        runners.Deliver(log, logged, runner);
    }

    /// <summary>
    /// An interrupt of the session stops every thread of it, at every depth: each gets the interrupt in its own log,
    /// which ends its turn and terminates it. Thread creation is held off while a round lists and interrupts, and a
    /// lead checks its turn's cancellation under the same gate, so an interrupted lead starts nothing after the round;
    /// rounds repeat until one finds no thread left to interrupt. With <paramref name="onlyThreadId"/>, only that
    /// thread and those it started.
    /// </summary>
    public async Task TerminateAsync(string sessionId, string? onlyThreadId, CancellationToken cancellationToken)
    {
        var interrupted = new HashSet<string>(StringComparer.Ordinal);
        var gate = GateOf(sessionId);
        while (true)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var all = await threads.ListThreadsAsync(sessionId, cancellationToken);
                var targets = all
                    .Where(t => t.IsLive && !interrupted.Contains(t.Id))
                    .Where(t => onlyThreadId is null || IsWithin(t, onlyThreadId, all))
                    .ToList();
                if (targets.Count == 0)
                {
                    return;
                }

                foreach (var thread in targets)
                {
                    await DeliverAsync(thread.Id, new UserInterruptEvent(), cancellationToken);
                    interrupted.Add(thread.Id);
                }
            }
            finally
            {
                gate.Release();
            }
        }
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
}
