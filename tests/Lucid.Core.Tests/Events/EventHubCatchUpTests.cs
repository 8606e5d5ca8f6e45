using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Events;

/// <summary>Two hubs on one store, as two processes on one database: one appends, the other follows through catch-ups.</summary>
public sealed class EventHubCatchUpTests : IDisposable
{
    private static readonly LogId Log = LogId.Of("sesn_shared");
    private readonly InMemoryStore _store = new();
    private readonly EventHub _runner;
    private readonly EventHub _follower;

    // Only ends a test that would otherwise hang; no test waits for it.
    private readonly CancellationTokenSource _hang = new(TimeSpan.FromMinutes(1));

    public EventHubCatchUpTests()
    {
        _runner = new EventHub(_store);
        _follower = new EventHub(_store);
    }

    private CancellationToken Token => _hang.Token;

    public void Dispose() => _hang.Dispose();

    private static UserMessageEvent Message(int i) => new() { Content = [new TextBlock($"message {i}")] };

    private Task StartLogAsync() =>
        _runner.CreateSessionAsync(
            new Session { Id = Log.Value, AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
            [Message(1)],
            Token);

    private async Task<long> AppendElsewhereAsync(int i) => (await _runner.AppendAsync(Log, [Message(i)], Token))[^1].Sequence;

    // Reads the first event, then starts waiting for the next: the subscriber has replayed the log and follows live.
    private static async Task<Task<bool>> LiveAsync(IAsyncEnumerator<LoggedEvent> reader)
    {
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(1, reader.Current.Sequence);
        var next = reader.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        return next;
    }

    private static async Task<List<long>> ReadAsync(IAsyncEnumerator<LoggedEvent> reader, Task<bool> next, int count)
    {
        var sequences = new List<long>();
        if (await next)
        {
            sequences.Add(reader.Current.Sequence);
        }

        while (sequences.Count < count && await reader.MoveNextAsync())
        {
            sequences.Add(reader.Current.Sequence);
        }

        return sequences;
    }

    [Fact]
    public async Task Events_committed_elsewhere_reach_a_live_subscriber_when_announced_in_order_and_once_however_often_announced()
    {
        await StartLogAsync();
        await using var reader = _follower.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        var next = await LiveAsync(reader);

        await AppendElsewhereAsync(2);
        await AppendElsewhereAsync(3);
        var last = await AppendElsewhereAsync(4);
        Assert.False(next.IsCompleted);
        await _follower.CatchUpAsync(Log, last, Token);
        await _follower.CatchUpAsync(Log, last, Token);
        var caughtUp = await ReadAsync(reader, next, 3);
        next = reader.MoveNextAsync().AsTask();
        await _follower.CatchUpAsync(Log, await AppendElsewhereAsync(5), Token);
        await _follower.CatchUpAllAsync(Token);
        var after = await ReadAsync(reader, next, 1);

        next = reader.MoveNextAsync().AsTask();
        await _follower.CatchUpAsync(Log, await AppendElsewhereAsync(6), Token);

        Assert.Equal([2, 3, 4], caughtUp);
        Assert.Equal([5], after);
        // Nothing came twice before the next event.
        Assert.Equal([6], await ReadAsync(reader, next, 1));
    }

    [Fact]
    public async Task Events_whose_notice_was_missed_are_read_when_the_feed_says_to_catch_up_everything()
    {
        await StartLogAsync();
        await using var reader = _follower.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        var next = await LiveAsync(reader);

        await AppendElsewhereAsync(2);
        await AppendElsewhereAsync(3);
        await _follower.CatchUpAllAsync(Token);

        Assert.Equal([2, 3], await ReadAsync(reader, next, 2));
    }

    [Fact]
    public async Task An_event_appended_here_after_one_committed_elsewhere_and_not_yet_announced_brings_the_gap_first()
    {
        await StartLogAsync();
        await using var reader = _follower.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        var next = await LiveAsync(reader);

        var elsewhere = await AppendElsewhereAsync(2);
        await _follower.AppendAsync(Log, [Message(3)], Token);
        var seen = await ReadAsync(reader, next, 2);
        next = reader.MoveNextAsync().AsTask();
        // The late notice finds nothing left to hand out: the next event is the next one.
        await _follower.CatchUpAsync(Log, elsewhere, Token);
        await _follower.CatchUpAsync(Log, await AppendElsewhereAsync(4), Token);

        Assert.Equal([2, 3], seen);
        Assert.Equal([4], await ReadAsync(reader, next, 1));
    }

    [Fact]
    public async Task A_notice_for_a_log_nobody_here_follows_keeps_no_state_for_it()
    {
        await StartLogAsync();

        await _follower.CatchUpAsync(Log, await AppendElsewhereAsync(2), Token);
        await _follower.CatchUpAllAsync(Token);

        Assert.Equal(0, _follower.ActiveLogs);
    }
}
