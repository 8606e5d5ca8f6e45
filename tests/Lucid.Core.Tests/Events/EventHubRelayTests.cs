using System.Globalization;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Events;

/// <summary>
/// Two hubs on one store, as two nodes of a cluster: the runner's produces previews and relays them; the follower's
/// streams get the committed events through catch-ups and the previews as they are relayed, whenever each arrives.
/// </summary>
public sealed class EventHubRelayTests : IDisposable
{
    private static readonly LogId Log = LogId.Of("sesn_relayed");
    private static readonly HashSet<string> Messages = ["agent.message"];
    private readonly InMemoryStore _store = new();
    private readonly EventHub _runner;
    private readonly EventHub _follower;

    // Only ends a test that would otherwise hang; no test waits for it.
    private readonly CancellationTokenSource _hang = new(TimeSpan.FromMinutes(1));

    public EventHubRelayTests()
    {
        _runner = new EventHub(_store);
        _follower = new EventHub(_store);
    }

    private CancellationToken Token => _hang.Token;

    public void Dispose() => _hang.Dispose();

    private Task StartLogAsync() =>
        _runner.CreateSessionAsync(
            new Session { Id = Log.Value, AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
            [new UserMessageEvent { Content = [new TextBlock("hi")] }],
            Token);

    // Commits a message on the runner's node and announces it to the follower's.
    private async Task CommitElsewhereAsync(string id)
    {
        var logged = await _runner.AppendAsync(Log, [new AgentMessageEvent { Id = id, Content = [new TextBlock(id)] }], Token);
        await _follower.CatchUpAsync(Log, logged[^1].Sequence, Token);
    }

    private static EventPreviewStart RelayedStart(string id, long after) => new(id, "agent.message") { After = after };

    private static string Describe(LogStreamItem item) => item.Preview switch
    {
        EventPreviewStart start => $"start {start.EventId}",
        EventPreviewDelta delta => $"delta {delta.EventId} {delta.Text}",
        _ => item.Committed?.Sequence.ToString(CultureInfo.InvariantCulture) ?? "?",
    };

    // A stream with previews on the follower's node, past its replay of the first event and waiting for the next: it
    // follows live.
    private async Task<(IAsyncEnumerator<LogStreamItem> Reader, Task<bool> Next)> LiveStreamAsync()
    {
        var reader = _follower.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("1", Describe(reader.Current));
        return (reader, reader.MoveNextAsync().AsTask());
    }

    private static async Task<List<string>> ReadAsync(IAsyncEnumerator<LogStreamItem> reader, Task<bool> next, int count)
    {
        var seen = new List<string>();
        var more = await next;
        while (more)
        {
            seen.Add(Describe(reader.Current));
            more = seen.Count < count && await reader.MoveNextAsync();
        }

        return seen;
    }

    [Fact]
    public async Task A_relay_makes_its_types_previewed_and_gets_their_starts_stamped_with_the_last_sequence_committed_before_them()
    {
        await StartLogAsync();
        var relayed = new List<EventPreview>();
        Assert.False(_runner.IsPreviewed(Log, "agent.message"));
        using (_runner.RelayPreviews(Log, Messages, committed: 1, relayed.Add))
        {
            Assert.True(_runner.IsPreviewed(Log, "agent.message"));
            Assert.False(_runner.IsPreviewed(Log, "agent.thinking"));
            _runner.Preview(Log, new EventPreviewStart("sevt_a", "agent.message"));
            _runner.Preview(Log, new EventPreviewDelta("sevt_a", 0, "Hello"));
            await _runner.AppendAsync(Log, [new AgentMessageEvent { Id = "sevt_a", Content = [new TextBlock("Hello")] }], Token);
            _runner.Preview(Log, new EventPreviewStart("sevt_t", "agent.thinking"));
            _runner.Preview(Log, new EventPreviewDelta("sevt_t", 0, "Hmm"));
            _runner.Preview(Log, new EventPreviewStart("sevt_b", "agent.message"));
        }

        Assert.False(_runner.IsPreviewed(Log, "agent.message"));
        _runner.Preview(Log, new EventPreviewDelta("sevt_b", 0, "unrelayed"));
        Assert.Equal(
            [RelayedStart("sevt_a", 1), new EventPreviewDelta("sevt_a", 0, "Hello"), RelayedStart("sevt_b", 2)],
            relayed);
    }

    [Fact]
    public async Task A_relayed_start_is_left_out_by_a_stream_that_has_delivered_an_event_committed_after_it_started()
    {
        await StartLogAsync();
        var (reader, next) = await LiveStreamAsync();
        await using var _ = reader;

        // The start of sevt_a was produced after event 1 and arrives after event 2, which may be sevt_a itself.
        await CommitElsewhereAsync("sevt_a");
        _follower.Preview(Log, RelayedStart("sevt_a", 1));
        _follower.Preview(Log, new EventPreviewDelta("sevt_a", 0, "late"));
        _follower.Preview(Log, RelayedStart("sevt_b", 2));
        _follower.Preview(Log, new EventPreviewDelta("sevt_b", 0, "on time"));
        await CommitElsewhereAsync("sevt_b");

        Assert.Equal(["2", "start sevt_b", "delta sevt_b on time", "3"], await ReadAsync(reader, next, 4));
    }

    [Fact]
    public async Task A_relayed_delta_that_arrives_after_the_event_it_previews_was_delivered_is_left_out()
    {
        await StartLogAsync();
        var (reader, next) = await LiveStreamAsync();
        await using var _ = reader;

        _follower.Preview(Log, RelayedStart("sevt_a", 1));
        _follower.Preview(Log, new EventPreviewDelta("sevt_a", 0, "Hello"));
        await CommitElsewhereAsync("sevt_a");
        _follower.Preview(Log, new EventPreviewDelta("sevt_a", 0, " again"));
        await CommitElsewhereAsync("sevt_b");

        Assert.Equal(["start sevt_a", "delta sevt_a Hello", "2", "3"], await ReadAsync(reader, next, 4));
    }

    [Fact]
    public async Task A_stream_that_asks_for_previews_watches_the_log_elsewhere_while_it_lasts_and_a_plain_one_does_not()
    {
        var remote = new RecordingRemotePreviews();
        var hub = new EventHub(_store, remotePreviews: remote);
        await StartLogAsync();

        await using (var plain = hub.SubscribeAsync(Log, 0, Token).GetAsyncEnumerator(Token))
        {
            Assert.True(await plain.MoveNextAsync());
            Assert.Empty(remote.Watching);
        }

        await using (var previewing = hub.SubscribeWithPreviewsAsync(Log, 0, Messages, Token).GetAsyncEnumerator(Token))
        {
            Assert.True(await previewing.MoveNextAsync());
            var (log, types, target) = Assert.Single(remote.Watching);
            Assert.Equal(Log, log);
            Assert.True(types.SetEquals(Messages));
            Assert.Same(hub, target);
        }

        Assert.Empty(remote.Watching);
    }

    private sealed class RecordingRemotePreviews : IRemotePreviews
    {
        public List<(LogId Log, IReadOnlySet<string> Types, EventHub Hub)> Watching { get; } = [];

        public Task<IDisposable> WatchAsync(LogId logId, IReadOnlySet<string> types, EventHub hub, CancellationToken cancellationToken)
        {
            var watch = (logId, types, hub);
            Watching.Add(watch);
            return Task.FromResult<IDisposable>(new Subscription(() => Watching.Remove(watch)));
        }
    }
}
