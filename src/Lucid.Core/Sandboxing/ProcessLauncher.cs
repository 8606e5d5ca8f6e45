using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lucid.Sandboxing;

/// <summary>
/// Starts processes from one long-lived thread. bubblewrap's <c>--die-with-parent</c> (<c>PR_SET_PDEATHSIG</c>) follows
/// the thread that started it, not the process: a sandbox started from a thread-pool thread would be killed, or worse
/// half-orphaned, whenever that thread retires. Started from here, a sandbox dies with the server and only then.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];
    private static readonly Thread Launcher = StartLauncher();

    /// <summary>Starts <paramref name="process"/> on the launcher thread; faults as <see cref="Process.Start()"/> would throw.</summary>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static Thread StartLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "Lucid process launcher" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
