using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class SandboxModeTests : IDisposable
{
    private readonly SandboxScene _scene = new();

    public void Dispose() => _scene.Dispose();

    [Fact]
    public async Task Refused_isolation_makes_bash_a_tool_error_that_says_why_and_runs_nothing()
    {
        var refused = new SandboxOptions { Isolation = ProcessIsolation.Refused, RefusalReason = "bwrap could not be started" };

        var result = await _scene.BashAsync("touch ran.txt", refused);

        Assert.True(result.IsError);
        Assert.Contains("bash is refused", result.Content, StringComparison.Ordinal);
        Assert.Contains("bwrap could not be started", result.Content, StringComparison.Ordinal);
        Assert.Contains("--unsafe-no-sandbox", result.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scene.Root, "ran.txt")));
    }

    [Fact]
    public async Task Unsandboxed_isolation_runs_on_the_host_in_the_directory_as_before()
    {
        var result = await _scene.BashAsync($"pwd; cat {_scene.DataDirectory}/lucid.db", new SandboxOptions { Isolation = ProcessIsolation.Unsandboxed });

        // What the operator's opt-out means: the host path, and everything the server's user can read.
        Assert.Contains(_scene.Root + "\n", result.Content, StringComparison.Ordinal);
        Assert.Contains(SandboxScene.Secret, result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_reports_a_missing_bubblewrap_and_bash_then_fails_closed()
    {
        var missing = new SandboxOptions { BubblewrapPath = "/nonexistent/bwrap" };

        var failure = await SandboxProbe.FailureAsync(missing, CancellationToken.None);
        var result = await _scene.BashAsync("touch ran.txt", missing);

        Assert.NotNull(failure);
        Assert.Contains("/nonexistent/bwrap could not be started", failure, StringComparison.Ordinal);
        Assert.True(result.IsError);
        Assert.Contains("could not be started", result.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scene.Root, "ran.txt")));
    }

    [Fact]
    public async Task A_sandbox_outlives_the_thread_that_started_it()
    {
        // bubblewrap dies with the thread that started it (once it is set up); a request thread that ends must not take
        // the command with it. The thread asks for the command, waits until it runs, and ends; then the command finishes.
        var started = Path.Combine(_scene.Root, "started");
        var go = Path.Combine(_scene.Root, "go");
        Task<ToolResult>? run = null;
        var thread = new Thread(() =>
        {
            run = _scene.RunAsync("bash", new { command = "touch started; while [ ! -e go ]; do sleep 0.05; done; echo survived" });
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!File.Exists(started) && !patience.IsCancellationRequested)
            {
                Thread.Sleep(10);
            }
        });
        thread.Start();
        thread.Join();
        await File.WriteAllTextAsync(go, "");

        var result = await (run ?? throw new InvalidOperationException("The thread did not start the command."));

        Assert.False(result.IsError, result.Content);
        Assert.Equal("survived\n[exit code: 0]", result.Content);
    }
}
