using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lucid.Reliability.Tests;

/// <summary>
/// The real <c>lucid serve</c> as a child process: started until it says it is serving, and killed with SIGKILL only
/// while it is alive, with proof that it died of the signal.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    /// <summary>What a process killed by SIGKILL (signal 9) exits with, as .NET reports it on Unix.</summary>
    public const int KilledExitCode = 128 + 9;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServerProcess(Process process) => _process = process;

    /// <summary>The process ID.</summary>
    public int Id => _process.Id;

    /// <summary>The API key a first start prints, or null.</summary>
    public string? PrintedKey { get; private set; }

    /// <summary>The lines the server logged at level error or critical (<c>fail:</c>, <c>crit:</c>).</summary>
    public IReadOnlyList<string> Failures => [.. _lines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal))];

    /// <summary>Starts <c>lucid serve</c> on <paramref name="port"/> and returns once it says it is serving.</summary>
    public static async Task<ServerProcess> StartAsync(string home, int port, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = home;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("lucid did not start."));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"lucid serve exited before it was ready:\n{string.Join("\n", server._lines)}"));
                return;
            }

            server._lines.Enqueue(e.Data.Trim());
            if (e.Data.Contains("lucid_sk_", StringComparison.Ordinal))
            {
                server.PrintedKey = e.Data.Trim();
            }

            if (e.Data.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        server._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server._lines.Enqueue(e.Data.Trim());
            }
        };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>Sends SIGKILL to the running server and waits for it to die of it; fails if it had already exited.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            Assert.Fail($"lucid serve ({Id}) had exited with {_process.ExitCode} before it was killed:\n{string.Join("\n", _lines)}");
        }

        // On Linux, Process.Kill sends SIGKILL: the server gets no chance to clean up.
        _process.Kill();
        await _process.WaitForExitAsync();
        Assert.True(_process.ExitCode == KilledExitCode, $"lucid serve ({Id}) exited with {_process.ExitCode}, not by SIGKILL.");
    }

    /// <summary>A client of the API at <paramref name="port"/> on loopback, authenticated with <paramref name="key"/>.</summary>
    public static HttpClient ApiClient(int port, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-api-key", key);
        return http;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
