using Lucid.Cluster.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Lucid.Cluster.Tests.Sessions;

public sealed class NodeLossRetryTests
{
    // One probe of 1 s, missed once: a window of 1 s × 4 × 3 = 12 s.
    private static readonly ClusterSettings Settings = new() { ProbeTimeout = TimeSpan.FromSeconds(1), MissedProbes = 1 };

    [Fact]
    public void Window_follows_the_failure_detection_settings()
    {
        Assert.Equal(TimeSpan.FromSeconds(12), new NodeLossRetry(Settings, new FakeTimeProvider(), new Retries()).Window);
        Assert.Equal(TimeSpan.FromSeconds(32), new NodeLossRetry(new ClusterSettings(), new FakeTimeProvider(), new Retries()).Window);
    }

    [Fact]
    public async Task CallAsync_after_node_losses_calls_again_as_a_resend_until_the_owner_answers()
    {
        var time = new FakeTimeProvider();
        var retries = new Retries();
        var calls = new List<bool>();
        var start = time.GetUtcNow();

        var answer = Drive(time, retries, new NodeLossRetry(Settings, time, retries).CallAsync(
            "sesn_1",
            resent =>
            {
                calls.Add(resent);
                return calls.Count < 3 ? throw new SiloUnavailableException("gone") : Task.FromResult(42);
            },
            CancellationToken.None));

        Assert.Equal(42, await answer);
        Assert.Equal([false, true, true], calls);
        Assert.Equal(TimeSpan.FromSeconds(2), time.GetUtcNow() - start);
    }

    [Fact]
    public async Task CallAsync_gives_up_once_the_window_has_passed()
    {
        var time = new FakeTimeProvider();
        var retries = new Retries();
        var calls = 0;

        var answer = Drive(time, retries, new NodeLossRetry(Settings, time, retries).CallAsync<int>(
            "sesn_1",
            _ =>
            {
                calls++;
                throw new ConnectionFailedException("Unable to connect to 127.0.0.1:11111");
            },
            CancellationToken.None));

        await Assert.ThrowsAsync<ConnectionFailedException>(() => answer);
        Assert.Equal(13, calls);
    }

    [Fact]
    public async Task CallAsync_passes_other_errors_on_at_once()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var retry = new NodeLossRetry(Settings, time, new Retries());

        await Assert.ThrowsAsync<TimeoutException>(() => retry.CallAsync<int>("sesn_1", _ => { calls++; throw new TimeoutException(); }, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    // Moves the clock on by one retry delay each time the retry has set its wait (it logs once the wait is set).
    private static async Task<T> Drive<T>(FakeTimeProvider time, Retries retries, Task<T> call)
    {
        while (await Task.WhenAny(call, retries.Next.WaitAsync()) != call)
        {
            time.Advance(NodeLossRetry.RetryDelay);
        }

        return await call;
    }

    private sealed class Retries : ILogger<NodeLossRetry>
    {
        public SemaphoreSlim Next { get; } = new(0);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Next.Release();
    }
}
