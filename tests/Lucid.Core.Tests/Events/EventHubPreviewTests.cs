using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Events;

public sealed class EventHubPreviewTests : IDisposable
{
    private static readonly LogId Log = LogId.Of("sesn_previews");
    private static readonly HashSet<string> Messages = ["agent.message"];
    private const int Capacity = 8;
    private readonly InMemoryStore _store = new();
    private readonly EventHub _hub;

    // Only ends a test that would otherwise hang; no test waits for it.
    private readonly CancellationTokenSource _hang = new(TimeSpan.FromMinutes(1));

    public EventHubPreviewTests() => _hub = new EventHub(_store, subscriberCapacity: Capacity);

    private CancellationToken Token => _hang.Token;

    public void Dispose() => _hang.Dispose();

    private Task StartLogAsync() =>
        _hub.CreateSessionAsync(
            new Session { Id = Log.Value, AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
            [new UserMessageEvent { Content = [new TextBlock("hi")] }],
            Token);

    private Task CommitAsync(string id, string text) =>
        _hub.AppendAsync(Log, [new AgentMessageEvent { Id = id, Content = [new TextBlock(text)] }], Token);

    private void Preview(string id, params string[] fragments)
    {
        _hub.Preview(Log, new EventPreviewStart(id, "agent.message"));
        foreach (var fragment in fragments)
        {
            _hub.Preview(Log, new EventPreviewDelta(id, 0, fragment));
        }
    }

    // What a stream yields, described: "1" for committed sequence 1, "start e", "delta e text".
    private static string Describe(LogStreamItem item) => item.Preview switch
    {
        EventPreviewStart start => $"start {start.EventId}",
        EventPreviewDelta delta => $"delta {delta.EventId} {delta.Text}",
        _ => item.Committed?.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };

    private static async Task<List<string>> ReadAsync<T>(IAsyncEnumerator<T> reader, int count, Func<T, string> describe)
    {
        var seen = new List<string>();
        while (seen.Count < count && await reader.MoveNextAsync())
        {
            seen.Add(describe(reader.Current));
        }

        return seen;
    }

    [Fact]
    public async Task Previews_reach_only_subscribers_that_asked_for_them_and_come_before_the_event_they_preview()
    {
        await StartLogAsync();
        await using var plain = _hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token);
        await using var previewing = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        await using var otherTypes = _hub.SubscribeWithPreviewsAsync(Log, 0, new HashSet<string> { "agent.thinking" }, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1"], await ReadAsync(plain, 1, e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["1"], await ReadAsync(previewing, 1, Describe));
        Assert.Equal(["1"], await ReadAsync(otherTypes, 1, Describe));

        Assert.True(_hub.IsPreviewed(Log, "agent.message"));
        Assert.False(_hub.IsPreviewed(Log, "agent.tool_use"));
        // Waiting for their next item, the subscribers have replayed the log and follow it live.
        var previewingNext = previewing.MoveNextAsync();
        var otherNext = otherTypes.MoveNextAsync();
        Preview("sevt_m", "Hello ", "world.");
        await CommitAsync("sevt_m", "Hello world.");

        Assert.True(await previewingNext);
        Assert.Equal(["start sevt_m", "delta sevt_m Hello ", "delta sevt_m world.", "2"], [Describe(previewing.Current), .. await ReadAsync(previewing, 3, Describe)]);
        Assert.Equal(["2"], await ReadAsync(plain, 1, e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(await otherNext);
        Assert.Equal("2", Describe(otherTypes.Current));
        Assert.Equal(2, (await _store.ReadAsync(Log, 0, 100, Token)).Count);
    }

    [Fact]
    public async Task Cancelling_a_waiting_stream_with_previews_ends_it_while_a_plain_subscription_throws()
    {
        await StartLogAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await using var previewing = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, stop.Token).GetAsyncEnumerator(stop.Token);
        await using var plain = _hub.SubscribeAsync(Log, 0, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.Equal(["1"], await ReadAsync(previewing, 1, Describe));
        Assert.Equal(["1"], await ReadAsync(plain, 1, e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var previewingNext = previewing.MoveNextAsync().AsTask();
        var plainNext = plain.MoveNextAsync().AsTask();

        await stop.CancelAsync();

        // The stream a client goes from ends without an exception; other readers still see the cancellation.
        Assert.False(await previewingNext);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plainNext);
        Assert.False(_hub.IsPreviewed(Log, "agent.message"));
    }

    [Fact]
    public async Task A_subscriber_that_goes_live_while_an_event_is_previewed_is_caught_up_with_it_in_one_delta()
    {
        await StartLogAsync();
        await using var early = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1"], await ReadAsync(early, 1, Describe));
        Preview("sevt_m", "Hello ", "wor");

        await using var late = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1", "start sevt_m", "delta sevt_m Hello wor"], await ReadAsync(late, 3, Describe));
        _hub.Preview(Log, new EventPreviewDelta("sevt_m", 0, "ld."));
        await CommitAsync("sevt_m", "Hello world.");

        Assert.Equal(["delta sevt_m ld.", "2"], await ReadAsync(late, 2, Describe));
    }

    [Fact]
    public async Task A_preview_concluded_before_a_subscriber_goes_live_is_not_caught_up()
    {
        await StartLogAsync();
        await using var early = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1"], await ReadAsync(early, 1, Describe));
        Preview("sevt_m", "Hello.");
        await CommitAsync("sevt_m", "Hello.");
        Preview("sevt_n", "Again.");
        await _hub.AppendAsync(Log, [new SpanModelRequestEndEvent { ModelRequestStartId = "sevt_s", ModelUsage = SessionUsage.Zero, IsError = true }], Token);

        await using var late = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1", "2", "3"], await ReadAsync(late, 3, Describe));
        await CommitAsync("sevt_o", "Later.");
        Assert.Equal(["4"], await ReadAsync(late, 1, Describe));
    }

    [Fact]
    public async Task A_preview_offered_while_a_subscriber_replays_is_not_sent_after_the_event_its_replay_read()
    {
        var log = new HeldReads(_store);
        var hub = new EventHub(log, subscriberCapacity: Capacity);
        await StartLogAsync();
        await using var early = hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1"], await ReadAsync(early, 1, Describe));

        // The late subscriber has joined but its replay waits: meanwhile a message is previewed and committed.
        log.Hold();
        await using var late = hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        var first = late.MoveNextAsync();
        await log.Held.WaitAsync(Token);
        hub.Preview(Log, new EventPreviewStart("sevt_m", "agent.message"));
        hub.Preview(Log, new EventPreviewDelta("sevt_m", 0, "Hello."));
        await hub.AppendAsync(Log, [new AgentMessageEvent { Id = "sevt_m", Content = [new TextBlock("Hello.")] }], Token);
        log.Release();

        Assert.True(await first);
        Assert.Equal(["1", "2"], [Describe(late.Current), .. await ReadAsync(late, 1, Describe)]);
        await hub.AppendAsync(Log, [new AgentMessageEvent { Id = "sevt_n", Content = [new TextBlock("Next.")] }], Token);
        Assert.Equal(["3"], await ReadAsync(late, 1, Describe));
    }

    [Fact]
    public async Task A_subscriber_whose_buffer_is_half_full_drops_the_rest_of_the_preview_and_is_not_cut_off()
    {
        await StartLogAsync();
        await using var slow = _hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.Equal(["1"], await ReadAsync(slow, 1, Describe));
        var pending = slow.MoveNextAsync();

        Preview("sevt_m", "a ", "b ", "c ", "d ", "e ", "f ", "g ", "h ", "i ", "j.");
        await CommitAsync("sevt_m", "a b c d e f g h i j.");
        await CommitAsync("sevt_n", "Next.");

        Assert.True(await pending);
        var seen = new List<string> { Describe(slow.Current) };
        seen.AddRange(await ReadAsync(slow, 5, Describe));
        // Half the buffer of 8: the start and three deltas; then the committed events, all of them.
        Assert.Equal(["start sevt_m", "delta sevt_m a ", "delta sevt_m b ", "delta sevt_m c ", "2", "3"], seen);
    }

    // An event log whose next read waits until released, to let a subscriber's replay fall behind appends.
    private sealed class HeldReads(InMemoryStore inner) : Lucid.Storage.IEventLog
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _holding;

        public Task Held => _held.Task;

        public void Hold() => Volatile.Write(ref _holding, 1);

        public void Release() => _gate.TrySetResult();

        public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken) =>
            inner.AppendAsync(logId, events, cancellationToken);

        public Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken) =>
            inner.CreateSessionAsync(session, firstEvents, cancellationToken);

        public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(string logId, long afterSequence, int limit, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _holding, 0) == 1)
            {
                _held.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
            }

            return await inner.ReadAsync(logId, afterSequence, limit, cancellationToken);
        }

        public Task<Lucid.Storage.Page<LoggedEvent>> ListEventsAsync(string logId, Lucid.Storage.EventQuery query, Lucid.Storage.PageRequest page, CancellationToken cancellationToken) =>
            inner.ListEventsAsync(logId, query, page, cancellationToken);
    }
}
