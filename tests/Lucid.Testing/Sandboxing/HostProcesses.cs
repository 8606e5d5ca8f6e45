using System.Globalization;

namespace Lucid.Testing.Sandboxing;

/// <summary>
/// Processes as the host sees them. A sandboxed command's <c>$$</c> is its PID inside the sandbox's PID namespace, so
/// tests find their processes on the host by a marker in the command line instead.
/// </summary>
public static class HostProcesses
{
    /// <summary>A marker unique to one test: a number <c>sleep</c> accepts, such as <c>600.4821937</c>.</summary>
    public static string NewSleepMarker() => string.Create(CultureInfo.InvariantCulture, $"600.{Random.Shared.Next(1_000_000, 9_999_999)}");

    /// <summary>
    /// Waits until no live process matches <paramref name="marker"/> (a killed process takes a moment to exit), at most
    /// <paramref name="patience"/>; returns those still alive then.
    /// </summary>
    public static async Task<IReadOnlyList<int>> GoneAsync(string marker, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        var alive = Matching(marker);
        while (alive.Count > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Yield();
            alive = Matching(marker);
        }

        return alive;
    }

    /// <summary>The host PIDs of live processes (not zombies) whose command line contains <paramref name="marker"/>.</summary>
    public static IReadOnlyList<int> Matching(string marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                // A killed process lingers as a zombie (state Z) until it is reaped; it runs nothing.
                var state = File.ReadAllText(Path.Combine(directory, "stat")).Split(") ")[^1].Split(' ')[0];
                if (commandLine.Contains(marker, StringComparison.Ordinal) && state is not ("Z" or "X"))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // It exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
