using Lucid.Dreams;
using Microsoft.Extensions.Time.Testing;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamRunnerTests
{
    [Fact]
    public async Task A_dream_canceled_elsewhere_stops_here_at_the_next_status_check()
    {
        var interval = TimeSpan.FromSeconds(2);
        using var h = new DreamHarness(new DreamOptions { CancelCheckInterval = interval });
        var (logs, _, _, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Dreamer.Then(async (_, ct) =>
        {
            started.TrySetResult();
            await using (ct.Register(() => stopped.TrySetResult()))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            throw new InvalidOperationException("unreachable");
        });
        var time = new FakeTimeProvider();
        await using var runner = new DreamRunner(h.Pipeline, h.Store, time);
        var created = (await h.Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = store, SessionIds = [logs[0].SessionId], Model = Model }, None)).Value!;
        runner.Start(created.Id);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Canceled through another node: this runner is not told, only the store says so.
        Assert.Equal(DreamStatus.Canceled, (await h.Dreams.CancelAsync(Ws, created.Id, None)).Value!.Status);
        time.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.False(stopped.Task.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
