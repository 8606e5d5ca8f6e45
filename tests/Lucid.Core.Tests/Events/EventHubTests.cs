using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Events;

public sealed class EventHubTests : IDisposable
{
    private static readonly LogId Log = LogId.Of("sesn_hub");
    private const int Capacity = 3;
    private readonly InMemoryStore _store = new();
    private readonly EventHub _hub;

    // Only ends a test that would otherwise hang; no test waits for it.
    private readonly CancellationTokenSource _hang = new(TimeSpan.FromMinutes(1));

    public EventHubTests() => _hub = new EventHub(_store, subscriberCapacity: Capacity);

    private CancellationToken Token => _hang.Token;

    public void Dispose() => _hang.Dispose();

    private static UserMessageEvent Message(int i) => new() { Content = [new TextBlock($"message {i}")] };

    private Task StartLogAsync() =>
        _hub.CreateSessionAsync(
            new Session { Id = Log.Value, AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
            [Message(1)],
            Token);

    // Appends events 2..last one at a time; the reader reads each before the next, so it never has more than one unread.
    private async Task AppendWhileReadingAsync(IAsyncEnumerator<LoggedEvent> reader, int last)
    {
        for (var i = 2; i <= last; i++)
        {
            var appended = await _hub.AppendAsync(Log, [Message(i)], Token);
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal(appended[0].Sequence, reader.Current.Sequence);
        }
    }

    private static async Task<List<long>> ReadAsync(IAsyncEnumerator<LoggedEvent> reader, int count)
    {
        var sequences = new List<long>();
        while (sequences.Count < count && await reader.MoveNextAsync())
        {
            sequences.Add(reader.Current.Sequence);
        }

        return sequences;
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_is_cut_off_after_its_buffer_and_appends_and_others_go_on()
    {
        await StartLogAsync();
        await using var slow = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        await using var reader = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        Assert.Equal([1], await ReadAsync(slow, 1));
        Assert.Equal([1], await ReadAsync(reader, 1));

        await AppendWhileReadingAsync(reader, last: 10);
        var slowSaw = await ReadAsync(slow, int.MaxValue);

        Assert.Equal([2, 3, 4], slowSaw);
        Assert.Equal(10, (await _store.ReadAsync(Log, 0, 100, Token)).Count);
        await _hub.AppendAsync(Log, [Message(11)], Token);
        Assert.Equal([11], await ReadAsync(reader, 1));
    }

    [Fact]
    public async Task Resuming_after_the_last_sequence_seen_gets_exactly_the_rest()
    {
        await StartLogAsync();
        await using var slow = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        await using var reader = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        var seen = await ReadAsync(slow, 1);
        await ReadAsync(reader, 1);
        await AppendWhileReadingAsync(reader, last: 10);
        seen.AddRange(await ReadAsync(slow, int.MaxValue));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await using var resumed = _hub.SubscribeAsync(Log, seen[^1], stop.Token).GetAsyncEnumerator(stop.Token);
        var rest = await ReadAsync(resumed, 6);
        var next = resumed.MoveNextAsync();

        Assert.Equal([5, 6, 7, 8, 9, 10], rest);
        Assert.False(next.IsCompleted);
        await _hub.AppendAsync(Log, [Message(11)], Token);
        Assert.True(await next);
        Assert.Equal(11, resumed.Current.Sequence);
    }

    [Fact]
    public async Task A_follower_in_process_that_falls_behind_catches_up_from_the_log_without_ending()
    {
        await StartLogAsync();
        await using var follower = _hub.FollowAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        await using var reader = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        Assert.Equal([1], await ReadAsync(follower, 1));
        await ReadAsync(reader, 1);

        await AppendWhileReadingAsync(reader, last: 10);
        var caughtUp = await ReadAsync(follower, 9);
        var next = follower.MoveNextAsync();

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 10], caughtUp);
        Assert.False(next.IsCompleted);
        await _hub.AppendAsync(Log, [Message(11)], Token);
        Assert.True(await next);
        Assert.Equal(11, follower.Current.Sequence);
    }

    [Fact]
    public async Task Forgetting_a_log_ends_its_followers_instead_of_making_them_catch_up()
    {
        await StartLogAsync();
        await using var follower = _hub.FollowAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        Assert.Equal([1], await ReadAsync(follower, 1));
        var next = follower.MoveNextAsync();

        _hub.Forget(Log);

        Assert.False(await next);
    }

    [Fact]
    public async Task The_hub_holds_nothing_for_a_log_once_its_appends_and_subscribers_are_done()
    {
        await StartLogAsync();
        await _hub.AppendAsync(Log, [Message(2)], Token);
        Assert.Equal(0, _hub.ActiveLogs);

        var reader = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        Assert.Equal([1, 2], await ReadAsync(reader, 2));
        Assert.Equal(1, _hub.ActiveLogs);

        // While the subscriber follows, appends share its state and reach it (within its buffer of three); once it
        // leaves, nothing is kept.
        var concurrent = await Task.WhenAll(Enumerable.Range(3, Capacity).Select(i => _hub.AppendAsync(Log, [Message(i)], Token)));
        Assert.Equal(concurrent.Select(c => c[0].Sequence).Order(), await ReadAsync(reader, Capacity));
        await reader.DisposeAsync();
        Assert.Equal(0, _hub.ActiveLogs);

        await using var again = _hub.SubscribeAsync(Log, 5, Token).GetAsyncEnumerator(Token);
        var next = _hub.AppendAsync(Log, [Message(6)], Token);
        Assert.Equal([6], await ReadAsync(again, 1));
        await next;
    }
}
