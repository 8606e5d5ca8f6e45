using System.Globalization;

namespace Lucid.Benchmarks;

/// <summary>
/// The CPU time of a PostgreSQL server's processes: its postmaster (from <c>postmaster.pid</c>) and the processes it
/// started (backends, writers), from <c>/proc/PID/stat</c>. A backend that exits between two readings takes its CPU time
/// with it, so a difference of two readings counts the connections that stayed open (the nodes' pools keep theirs).
/// </summary>
internal sealed class PostgresCpu(int postmaster)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>The server whose data directory is <paramref name="dataDirectory"/>, or null where there is no <c>/proc</c>.</summary>
    public static PostgresCpu? Of(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        return Directory.Exists("/proc") && File.Exists(pidFile)
            ? new PostgresCpu(int.Parse(File.ReadLines(pidFile).First().Trim(), CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>User + kernel CPU time of the postmaster and its live children, now.</summary>
    public TimeSpan Total()
    {
        long ticks = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(process, "stat"));
            }
            catch (IOException)
            {
                continue; // The process ended between listing and reading.
            }

            // pid (comm) state ppid … utime stime: the name may hold spaces, so the fields start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster || parent == postmaster)
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return Tick * ticks;
    }
}
