using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucid.Sandboxing;

namespace Lucid.Tools;

/// <summary>The result of a shell command.</summary>
/// <param name="ExitCode">The exit code (meaningless when <paramref name="TimedOut"/>).</param>
/// <param name="Output">Combined stdout and stderr: the first and last lines within the limit.</param>
/// <param name="TimedOut">Whether it was killed for running over its time limit.</param>
internal sealed record ShellResult(int ExitCode, string Output, bool TimedOut);

/// <summary>
/// Runs a prepared command (see <see cref="Sandboxing.SandboxedCommand"/>) with stdin closed, collecting its output, and
/// kills the whole process tree when the time limit passes or the caller cancels. Used by the <c>bash</c> tool, outcome
/// checks and the sandbox probe.
/// </summary>
internal static class ShellCommand
{
    /// <summary>
    /// Starts <paramref name="start"/> and waits for it. Throws <see cref="InvalidOperationException"/> when the
    /// executable cannot be started at all (bubblewrap missing, for example).
    /// </summary>
    public static async Task<ShellResult> RunAsync(
        ProcessStartInfo start, TimeSpan timeout, int maxOutputChars, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        using var process = new Process { StartInfo = start };
        var output = new OutputCollector(maxOutputChars);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            await ProcessLauncher.StartAsync(process);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{start.FileName} could not be started: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            // Returns once the process exits and its redirected streams are drained.
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            return new ShellResult(-1, output.ToString(), TimedOut: true);
        }

        return new ShellResult(process.ExitCode, output.ToString(), TimedOut: false);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    /// <summary>Keeps the first and the last lines of a command's output, each up to the limit, and counts what falls between.</summary>
    private sealed class OutputCollector(int limit)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _head = new();
        private readonly Queue<string> _tail = new();
        private int _tailLength;
        private long _dropped;

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                if (_head.Length < limit)
                {
                    _head.Append(line).Append('\n');
                    return;
                }

                _tail.Enqueue(line);
                _tailLength += line.Length + 1;
                while (_tailLength > limit && _tail.Count > 1)
                {
                    var dropped = _tail.Dequeue();
                    _tailLength -= dropped.Length + 1;
                    _dropped += dropped.Length + 1;
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                var text = new StringBuilder(_head.ToString());
                if (_dropped > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"… [{_dropped:N0} characters not kept] …\n");
                }

                foreach (var line in _tail)
                {
                    text.Append(line).Append('\n');
                }

                return text.ToString();
            }
        }
    }
}
