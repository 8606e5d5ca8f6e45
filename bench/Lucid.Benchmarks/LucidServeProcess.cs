using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lucid.Benchmarks;

/// <summary>
/// The real <c>lucid serve</c> as a child process on a free loopback port, with its own <c>LUCID_HOME</c>, so its CPU
/// time can be read apart from the client's. Disposing kills it (and anything it started).
/// </summary>
internal sealed class LucidServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly EventHandler _killOnExit;

    private LucidServeProcess(Process process, Uri baseAddress, string apiKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
        // A last resort when the benchmark ends without disposing (an unhandled exception): never leave a server behind.
        _killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>Where the server listens, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>An API key of the default workspace.</summary>
    public string ApiKey { get; }

    /// <summary>The server's process ID.</summary>
    public int Id => _process.Id;

    /// <summary>The CPU time the server has used since it started, all threads: in user mode, and in the kernel on its behalf.</summary>
    public (TimeSpan User, TimeSpan Kernel) CpuTime()
    {
        _process.Refresh();
        return (_process.UserProcessorTime, _process.PrivilegedProcessorTime);
    }

    /// <summary>Creates an API key with <c>lucid keys create</c>, then starts <c>lucid serve</c> and waits until it serves.</summary>
    /// <param name="lucidDll">The path of <c>lucid.dll</c>.</param>
    /// <param name="home">The <c>LUCID_HOME</c> directory.</param>
    /// <param name="environment">Variables added to the server's environment (provider settings).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<LucidServeProcess> StartAsync(string lucidDll, string home, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var key = await CreateKeyAsync(lucidDll, home, environment, cancellationToken);
        return await ServeAsync(lucidDll, home, environment, key, FreePort(), [], cancellationToken);
    }

    /// <summary>Creates an API key of the default workspace with <c>lucid keys create</c> (on <c>LUCID_DATABASE</c> when <paramref name="environment"/> sets it).</summary>
    public static async Task<string> CreateKeyAsync(string lucidDll, string home, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var start = StartInfo(lucidDll, home, environment, "keys", "create", "--name", "bench");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("lucid keys create did not start.");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // The key is printed alone on its line, after a sentence saying it is shown once.
        var key = (await output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("lucid_sk_", StringComparison.Ordinal));
        return process.ExitCode == 0 && key is not null
            ? key
            : throw new InvalidOperationException($"lucid keys create failed ({process.ExitCode}): {await error}");
    }

    /// <summary>Starts <c>lucid serve</c> on <paramref name="port"/> with <paramref name="arguments"/> added, and waits until it serves.</summary>
    /// <param name="lucidDll">The path of <c>lucid.dll</c>.</param>
    /// <param name="home">The <c>LUCID_HOME</c> directory.</param>
    /// <param name="environment">Variables added to the server's environment (provider settings, <c>LUCID_DATABASE</c>).</param>
    /// <param name="apiKey">A key the server accepts, made by <see cref="CreateKeyAsync"/>.</param>
    /// <param name="port">The loopback port it serves HTTP on.</param>
    /// <param name="arguments">More options of <c>lucid serve</c> (a cluster node's ports).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<LucidServeProcess> ServeAsync(
        string lucidDll, string home, IReadOnlyDictionary<string, string> environment, string apiKey, int port, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);

        // One key drives every session of a run, far past a client's fair share: the per-key rate limit is off, since
        // the run measures the engine, not the limiter.
        var start = StartInfo(lucidDll, home, environment, ["serve", "--urls", $"http://127.0.0.1:{port}", "--rate-limit", "0", .. arguments]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("lucid serve did not start.");
        var errors = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lock (errors)
                {
                    ready.TrySetException(new InvalidOperationException($"lucid serve exited before it was ready: {string.Join(Environment.NewLine, errors)}"));
                }
            }
            else if (e.Data.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    // Only the start's errors are worth reporting; a server that is up keeps its stderr drained.
                    if (errors.Count < 50)
                    {
                        errors.Add(e.Data);
                    }
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LucidServeProcess(process, new Uri($"http://127.0.0.1:{port}"), apiKey);
        try
        {
            await ready.Task.WaitAsync(timeout.Token);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed with SIGKILL; if it is still not reaped after ten seconds there is nothing more to do.
        }

        _process.Dispose();
    }

    /// <summary>Kills the server with SIGKILL, as a machine that goes away would, and waits until it has exited.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        Kill();
        await _process.WaitForExitAsync(cancellationToken);
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static ProcessStartInfo StartInfo(string lucidDll, string home, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(lucidDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = home;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>A loopback port free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
