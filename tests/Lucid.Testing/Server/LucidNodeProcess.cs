using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Lucid.Testing.Server;

/// <summary>
/// The real <c>lucid serve</c> as a child process (<c>dotnet lucid.dll serve</c>) on free loopback ports: a node of the
/// cluster on <see cref="LucidNodeSettings.Database"/>. Started until it says it is serving; killed with SIGKILL, with proof
/// that it died of the signal; its output kept for a test to show. Disposing kills it if it still runs.
/// </summary>
public sealed class LucidNodeProcess : IAsyncDisposable
{
    /// <summary>What a process killed by SIGKILL (signal 9) exits with, as .NET reports it on Unix.</summary>
    public const int KilledExitCode = 128 + 9;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private LucidNodeProcess(Process process, int port, int nodePort)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        NodePort = nodePort;
    }

    /// <summary>Where its API listens, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The port the other nodes reach it on; with 127.0.0.1, its node address.</summary>
    public int NodePort { get; }

    /// <summary>The process ID.</summary>
    public int Id => _process.Id;

    /// <summary>The API key it printed on its first start (when the database had none), or null.</summary>
    public string? PrintedKey { get; private set; }

    /// <summary>Everything it wrote to standard output and standard error so far, line by line.</summary>
    public IReadOnlyList<string> Output => [.. _lines];

    /// <summary>The lines it logged at level error or critical (<c>fail:</c>, <c>crit:</c>).</summary>
    public IReadOnlyList<string> Failures => [.. _lines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal))];

    /// <summary>Starts <c>lucid serve</c> and returns once it says it is serving.</summary>
    public static async Task<LucidNodeProcess> StartAsync(LucidNodeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePorts.Next();
        var nodePort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            settings.LucidDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--rate-limit", "0",
            "--database", settings.Database, "--node-address", "127.0.0.1",
            "--node-port", nodePort.ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments.Concat(settings.Arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = settings.Home;
        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        var node = new LucidNodeProcess(Process.Start(start) ?? throw new InvalidOperationException("lucid serve did not start."), port, nodePort);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"lucid serve exited before it was ready:\n{string.Join("\n", node._lines)}"));
                return;
            }

            var line = e.Data.Trim();
            node._lines.Enqueue(line);
            if (line.StartsWith("lucid_sk_", StringComparison.Ordinal))
            {
                node.PrintedKey = line;
            }

            if (line.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        node._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                node._lines.Enqueue(e.Data.Trim());
            }
        };
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of its API, authenticated with <paramref name="apiKey"/>.</summary>
    public HttpClient Http(string apiKey)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        return http;
    }

    /// <summary>Sends SIGKILL and waits for the process to die of it; throws if it had exited before, or exited otherwise.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"lucid serve ({Id}) had exited with {_process.ExitCode} before it was killed:\n{string.Join("\n", _lines)}");
        }

        // On Linux, Process.Kill sends SIGKILL: the node gets no chance to clean up or to leave the cluster.
        _process.Kill();
        await _process.WaitForExitAsync();
        if (_process.ExitCode != KilledExitCode)
        {
            throw new InvalidOperationException($"lucid serve ({Id}) exited with {_process.ExitCode}, not by SIGKILL.");
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
}
