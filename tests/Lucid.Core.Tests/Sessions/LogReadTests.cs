using Lucid.Core.Tests.Dreams;
using Lucid.Storage;
using Lucid.Testing.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Sessions;

public sealed class LogReadTests
{
    [Fact]
    public async Task A_runner_reads_its_log_once_and_folds_what_it_appends_without_reading_it_back()
    {
        var (store, hooks) = StoreInterceptor.Over(new InMemoryStore());
        await using var h = await SessionHarness.StartAsync(store: store);
        h.Model
            .CallTool("bash", new { command = "echo one" }).Reply("First done.")
            .CallTool("bash", new { command = "echo two" }).Reply("Second done.");
        var logReads = 0;
        var sessionReads = 0;
        hooks.After = name =>
        {
            if (name == nameof(IEventLog.ReadAsync))
            {
                Interlocked.Increment(ref logReads);
            }
            else if (name == nameof(ISessionStore.GetSessionAsync))
            {
                Interlocked.Increment(ref sessionReads);
            }
        };

        await h.RunTurnAsync("one");
        await h.RunTurnAsync("two");

        // Each RunTurnAsync follows the log once (one replay page); the runner reads the log once, when it starts.
        Assert.Equal(2 + 1, logReads);
        // One read per send, and one by the runner for its first turn's context.
        Assert.Equal(2 + 1, sessionReads);
        var lastRequest = h.Model.Requests[^1].AllText;
        Assert.Contains("First done.", lastRequest, StringComparison.Ordinal);
        Assert.Contains("two", lastRequest, StringComparison.Ordinal);
        Assert.Equal(20, (await h.LogAsync()).Count);
    }
}
