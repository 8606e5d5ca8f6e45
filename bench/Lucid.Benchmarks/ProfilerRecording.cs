using System.Diagnostics;
using System.Globalization;

namespace Lucid.Benchmarks;

/// <summary>
/// A profiler attached to a running process for one phase of a run: <c>dotnet-trace collect</c> (EventPipe: managed
/// stacks of every thread, about 100 samples a second, blocked threads included) or <c>perf record</c> (kernel CPU
/// samples, native code and the kernel included; the process must run with <c>DOTNET_PerfMapEnabled</c> for JIT-compiled
/// frames to have names). Stopping sends SIGINT, as Ctrl+C would, and waits for the file to be written.
/// </summary>
internal sealed class ProfilerRecording : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly string _output;

    private ProfilerRecording(Process process, string output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>Starts <c>dotnet-trace collect</c> on <paramref name="processId"/> (default profiles) and waits until its session is open.</summary>
    public static async Task<ProfilerRecording> DotnetTraceAsync(int processId, string output, CancellationToken cancellationToken)
    {
        var start = Redirected(FindTool("dotnet-trace"), "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", output);
        var process = Start(start, "install it with: dotnet tool install -g dotnet-trace");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            // dotnet-trace names its output file once the EventPipe session is open.
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("dotnet-trace exited before its session was open."));
            }
            else if (e.Data.StartsWith("Output File", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        return await StartedAsync(process, output, ready.Task, cancellationToken);
    }

    /// <summary>Starts <c>perf record</c> (CPU clock, call stacks by frame pointer) on <paramref name="processId"/> and waits until it has opened its file.</summary>
    public static async Task<ProfilerRecording> PerfAsync(int processId, string output, CancellationToken cancellationToken)
    {
        File.Delete(output);
        var start = Redirected("perf", "record", "-F", "999", "-g", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", output);
        var process = Start(start, "install perf (Debian: apt-get install linux-perf)");
        // perf writes its file's header as soon as the counters are attached; it prints nothing until it stops.
        var ready = Task.Run(async () =>
        {
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (!File.Exists(output) && !process.HasExited)
            {
                await poll.WaitForNextTickAsync(cancellationToken);
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"perf record exited ({process.ExitCode}) before it attached.");
            }
        }, cancellationToken);
        return await StartedAsync(process, output, ready, cancellationToken);
    }

    /// <summary>Stops the recording and waits until the profiler has written its file.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start(Redirected("kill", "-INT", _process.Id.ToString(CultureInfo.InvariantCulture))) ?? throw new InvalidOperationException("kill did not start.");
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        if (!File.Exists(_output))
        {
            throw new InvalidOperationException($"The profiler exited ({_process.ExitCode}) without writing {_output}.");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<ProfilerRecording> StartedAsync(Process process, string output, Task ready, CancellationToken cancellationToken)
    {
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var recording = new ProfilerRecording(process, output);
        try
        {
            await ready.WaitAsync(StartTimeout, cancellationToken);
            return recording;
        }
        catch
        {
            await recording.DisposeAsync();
            throw;
        }
    }

    private static Process Start(ProcessStartInfo start, string hint)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{start.FileName} could not be started ({ex.Message}); {hint}.", ex);
        }
    }

    // A global tool is on PATH only when ~/.dotnet/tools was added to it.
    private static string FindTool(string name)
    {
        var installed = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);
        return File.Exists(installed) ? installed : name;
    }

    private static ProcessStartInfo Redirected(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
