using System.Globalization;

namespace Lucid.Benchmarks;

/// <summary>
/// The CPU time a .NET process has spent in its tiered-compilation worker, the thread that recompiles hot methods at a
/// higher tier in the background: a warming server spends seconds of CPU there, a warm one almost none. Read from
/// <c>/proc/PID/task</c> every 200 ms, so a worker that exits between two readings loses at most that much.
/// </summary>
internal sealed class JitThreadCpu : IAsyncDisposable
{
    // ".NET Tiered Compilation Worker", cut by the kernel to 15 characters.
    private const string WorkerName = ".NET Tiered Com";
    // USER_HZ, the unit of /proc's CPU times, is 100 on Linux.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly string _tasks;
    private readonly Dictionary<(int Thread, long StartTime), long> _ticks = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private JitThreadCpu(int processId)
    {
        _tasks = $"/proc/{processId}/task";
        _sampling = SampleUntilStoppedAsync();
    }

    /// <summary>Starts sampling <paramref name="processId"/>'s threads, or returns null where there is no <c>/proc</c>.</summary>
    public static JitThreadCpu? Start(int processId) =>
        Directory.Exists($"/proc/{processId}/task") ? new JitThreadCpu(processId) : null;

    /// <summary>The worker's CPU time (user and kernel) since the process started, as of now.</summary>
    public TimeSpan Total()
    {
        Sample();
        lock (_lock)
        {
            return Tick * _ticks.Values.Sum();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            Sample();
        }
    }

    private void Sample()
    {
        string[] threads;
        try
        {
            threads = Directory.GetDirectories(_tasks);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var thread in threads)
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(thread, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid …: the name may hold spaces and parentheses, so the fields start after the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || !stat.AsSpan(open + 1, close - open - 1).StartsWith(WorkerName, StringComparison.Ordinal))
            {
                continue;
            }

            // Fields 14 and 15 are utime and stime, 22 is the start time; the slice begins at field 3.
            var fields = stat[(close + 2)..].Split(' ');
            var id = int.Parse(stat.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture);
            var startTime = long.Parse(fields[19], CultureInfo.InvariantCulture);
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            lock (_lock)
            {
                _ticks[(id, startTime)] = Math.Max(ticks, _ticks.GetValueOrDefault((id, startTime)));
            }
        }
    }
}
