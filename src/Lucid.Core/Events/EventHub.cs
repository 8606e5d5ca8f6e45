using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucid.Ids;
using Lucid.Storage;

namespace Lucid.Events;

/// <summary>
/// The one append path of every log (sessions, threads, dreams, imports): stamps each event that has no ID or time yet,
/// commits the events, and only then hands them to live subscribers. A subscriber replays the log from any sequence
/// number and then follows live, with no gap and no duplicate: it registers before it reads the log, and drops live
/// events it has already read. Each live subscriber buffers at most a fixed number of events; appending never waits
/// for a subscriber, and one that falls that far behind is cut off (see <see cref="SubscribeAsync"/>). On a store that
/// several processes share, events another process commits reach this one's subscribers through
/// <see cref="CatchUpAsync"/>, read from the log when an <see cref="ILogCommitFeed"/> announces them, and the previews
/// its runner produces there come through <see cref="IRemotePreviews"/> while a stream here asks for them.
/// </summary>
public sealed class EventHub
{
    /// <summary>How many published events a subscriber may have buffered, unread, before it is cut off.</summary>
    public const int DefaultSubscriberCapacity = 1_000;

    private const int ReplayPageSize = 500;
    private readonly IEventLog _log;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly int _subscriberCapacity;
    private readonly IRemotePreviews? _remotePreviews;
    private readonly ConcurrentDictionary<LogId, SubscriberSet> _logs = new();

    /// <summary>
    /// Creates a hub over an event log, stamping events with <paramref name="timeProvider"/> and <paramref name="ids"/>;
    /// each live subscriber buffers at most <paramref name="subscriberCapacity"/> events. On a store several processes
    /// share, <paramref name="remotePreviews"/> brings previews produced in the others.
    /// </summary>
    public EventHub(IEventLog log, TimeProvider? timeProvider = null, IdGenerator? ids = null, int subscriberCapacity = DefaultSubscriberCapacity, IRemotePreviews? remotePreviews = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriberCapacity, 1);
        _log = log;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
        _subscriberCapacity = subscriberCapacity;
        _remotePreviews = remotePreviews;
    }

    /// <summary>The log the hub commits to.</summary>
    public IEventLog Log => _log;

    /// <summary>
    /// Gives an event its ID and processing time unless it has them. The engine stamps an event before appending it
    /// when a later event must refer to its ID (a tool result to its call, a span's end to its start).
    /// </summary>
    public T Stamp<T>(T e)
        where T : SessionEvent
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Id.Length > 0 && e.ProcessedAt != default ? e
            : e with { Id = e.Id.Length > 0 ? e.Id : _ids.NewId(IdPrefixes.Event), ProcessedAt = e.ProcessedAt != default ? e.ProcessedAt : _time.GetUtcNow() };
    }

    /// <summary>
    /// Stamps events (<see cref="Stamp{T}"/>), commits them to a log (a session's or a thread's) in one transaction,
    /// then publishes them. Appends to one log are serialized so subscribers see events in sequence order.
    /// </summary>
    public async Task<IReadOnlyList<LoggedEvent>> AppendAsync(LogId logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        var stamped = StampAll(events);
        var set = Acquire(logId);
        try
        {
            await set.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(logId, set);
            throw;
        }

        try
        {
            set.Concluding(stamped);
            var logged = await _log.AppendAsync(logId, stamped, cancellationToken);
            Telemetry.LucidMetrics.EventsCommitted(logged.Count);
            set.Committed(logged[^1].Sequence);
            foreach (var subscriber in set.Subscribers)
            {
                foreach (var e in logged)
                {
                    subscriber.Offer(e);
                }
            }

            return logged;
        }
        finally
        {
            set.Gate.Release();
            Release(logId, set);
        }
    }

    /// <summary>
    /// Stores a new session and the first events of its log in one transaction (<see cref="IEventLog.CreateSessionAsync"/>),
    /// stamping them as <see cref="AppendAsync"/> does. Nobody can follow a log before its session exists, so there is
    /// no one to publish them to.
    /// </summary>
    public async Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Sessions.Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firstEvents);
        var created = await _log.CreateSessionAsync(session, StampAll(firstEvents), cancellationToken);
        Telemetry.LucidMetrics.EventsCommitted(created.Count);
        return created;
    }

    private List<SessionEvent> StampAll(IReadOnlyList<SessionEvent> events)
    {
        var stamped = events.Select(Stamp).ToList();
        return stamped.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count() == stamped.Count
            ? stamped
            : throw new ArgumentException("Events appended together must have distinct IDs.", nameof(events));
    }

    /// <summary>
    /// Replays a log's events (a session's or a thread's) after <paramref name="afterSequence"/>, then follows new ones
    /// until cancelled. A subscriber that falls <see cref="DefaultSubscriberCapacity"/> (or the configured number of)
    /// events behind the appenders is cut off: its stream ends after the events it had buffered, and it resumes by
    /// subscribing again after the last sequence it saw. For remote clients, which resume with <c>Last-Event-ID</c>.
    /// </summary>
    public async IAsyncEnumerable<LoggedEvent> SubscribeAsync(LogId logId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in ReadAsync(logId, afterSequence, catchUpWhenBehind: false, previewTypes: null, cancellationToken))
        {
            if (item.Committed is { } e)
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// Like <see cref="SubscribeAsync"/>, and once the replay is done, also the previews (<see cref="Preview"/>) of
    /// events of <paramref name="previewTypes"/>, each before the committed event that concludes it. Previews are
    /// best-effort: one offered while the subscriber has too much unread is dropped, and that event's preview ends early.
    /// Cancelling <paramref name="cancellationToken"/> while it waits for events ends the stream instead of throwing: it
    /// is how an HTTP stream ends when its client goes, which most do, and an exception climbing the iterators above it
    /// would cost more than the stream's events.
    /// </summary>
    public IAsyncEnumerable<LogStreamItem> SubscribeWithPreviewsAsync(LogId logId, long afterSequence, IReadOnlySet<string> previewTypes, CancellationToken cancellationToken) =>
        ReadAsync(logId, afterSequence, catchUpWhenBehind: false, previewTypes, cancellationToken, endWhenCancelled: true);

    /// <summary>
    /// Like <see cref="SubscribeAsync"/>, but a follower that falls behind catches up from the log instead of ending, so
    /// its stream ends only when the log is forgotten or the token is cancelled. For readers in this process.
    /// </summary>
    public async IAsyncEnumerable<LoggedEvent> FollowAsync(LogId logId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in ReadAsync(logId, afterSequence, catchUpWhenBehind: true, previewTypes: null, cancellationToken))
        {
            if (item.Committed is { } e)
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// Like <see cref="FollowAsync"/>, with the previews of events of <paramref name="previewTypes"/> as
    /// <see cref="SubscribeWithPreviewsAsync"/> gives them. For readers in this process that show work as it happens.
    /// </summary>
    public IAsyncEnumerable<LogStreamItem> FollowWithPreviewsAsync(LogId logId, long afterSequence, IReadOnlySet<string> previewTypes, CancellationToken cancellationToken) =>
        ReadAsync(logId, afterSequence, catchUpWhenBehind: true, previewTypes, cancellationToken);

    /// <summary>Whether a subscriber or a relay of the log asked for previews of events of a type.</summary>
    public bool IsPreviewed(LogId logId, string eventType) =>
        _logs.TryGetValue(logId, out var set) && set.WantsPreviews(eventType);

    /// <summary>
    /// Hands a preview of an event not yet committed to the log's live subscribers that asked for its type. Nothing is
    /// stored, and nothing waits: a subscriber with too much unread drops it.
    /// </summary>
    public void Preview(LogId logId, EventPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        if (_logs.TryGetValue(logId, out var set))
        {
            set.Preview(preview);
        }
    }

    /// <summary>
    /// Hands the previews of events of <paramref name="previewTypes"/> that this process produces for a log to
    /// <paramref name="relay"/>, for streams in other processes, until the handle is disposed; meanwhile the log's runner
    /// previews those types as if a stream here asked for them. Each start carries, as <see cref="EventPreviewStart.After"/>,
    /// the last sequence number committed to the log before it, at least <paramref name="committed"/> (a number the log
    /// had reached when the relay was asked for). The relay is called in order, under the log's lock: it must not wait.
    /// </summary>
    public IDisposable RelayPreviews(LogId logId, IReadOnlySet<string> previewTypes, long committed, Action<EventPreview> relay)
    {
        var set = Acquire(logId);
        var added = new PreviewRelay(previewTypes, relay);
        set.AddRelay(added, committed);
        return new Subscription(() =>
        {
            set.RemoveRelay(added);
            Release(logId, set);
        });
    }

    private async IAsyncEnumerable<LogStreamItem> ReadAsync(
        LogId logId,
        long afterSequence,
        bool catchUpWhenBehind,
        IReadOnlySet<string>? previewTypes,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        bool endWhenCancelled = false)
    {
        // Previews produced in another process are asked for before the replay, so that they flow once it is done.
        using var remote = previewTypes is { Count: > 0 } && _remotePreviews is { } previews
            ? await previews.WatchAsync(logId, previewTypes, this, cancellationToken)
            : null;
        var order = new PreviewOrder();
        var last = afterSequence;
        while (true)
        {
            var set = Acquire(logId);
            var subscriber = new LogSubscriber(_subscriberCapacity, previewTypes);
            set.Add(subscriber);
            try
            {
                await foreach (var e in ReadLogAsync(logId, last, long.MaxValue, cancellationToken))
                {
                    yield return new LogStreamItem(e);
                    last = e.Sequence;
                }

                set.GoLive(subscriber, last);

                // Cancelling ends the subscription as a forgotten log does, so the wait ends without the exception a
                // cancelled wait throws through every iterator above it; it is thrown once, below, unless the caller
                // asked for the stream to end quietly. The wait does not resume on the caller's synchronization
                // context, as ReadAllAsync's did not, so readers wake when and where they did with it.
                using var cancelled = cancellationToken.UnsafeRegister(static s => ((LogSubscriber)s!).End(), subscriber);
                while (await subscriber.Events.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false) && !cancellationToken.IsCancellationRequested)
                {
                    while (subscriber.Events.TryRead(out var item))
                    {
                        if (item.Committed is { } e)
                        {
                            if (e.Sequence <= last)
                            {
                                continue;
                            }

                            // Events another process committed come only as notices' catch-ups (CatchUpAsync), which
                            // may lag this process's own appends: a gap is read from the log, so none is skipped.
                            await foreach (var missed in ReadLogAsync(logId, last, e.Sequence - 1, cancellationToken))
                            {
                                order.Delivered(missed);
                                yield return new LogStreamItem(missed);
                                last = missed.Sequence;
                            }

                            order.Delivered(e);
                            last = e.Sequence;
                        }
                        else if (item.Preview is { } preview && !order.Admits(preview, last))
                        {
                            continue;
                        }

                        yield return item;
                    }
                }

                if (endWhenCancelled && cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
            finally
            {
                set.Remove(subscriber);
                Release(logId, set);
            }

            if (!(catchUpWhenBehind && subscriber.FellBehind))
            {
                yield break;
            }
        }
    }

    // The log's events after one sequence number up to another (or its end), a page at a time.
    private async IAsyncEnumerable<LoggedEvent> ReadLogAsync(LogId logId, long after, long upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (after < upTo)
        {
            var page = await _log.ReadAsync(logId, after, ReplayPageSize, cancellationToken);
            foreach (var e in page.TakeWhile(e => e.Sequence <= upTo))
            {
                yield return e;
                after = e.Sequence;
            }

            if (page.Count < ReplayPageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Hands this process's subscribers of a log the events up to <paramref name="lastSequence"/> that another process
    /// committed to it (an <see cref="ILogCommitFeed"/> announced them): they are read from the log, after the position
    /// of the live subscriber furthest behind, and each is offered to the subscribers that have not had it. Nothing
    /// happens for a log nobody here follows. Serialized with this process's appends to the log.
    /// </summary>
    public async Task CatchUpAsync(LogId logId, long lastSequence, CancellationToken cancellationToken)
    {
        if (!_logs.TryGetValue(logId, out var set) || !set.TryAcquire())
        {
            return;
        }

        try
        {
            // Most notices are of this process's own appends, which every subscriber already has.
            if (set.Subscribers.All(s => s.Position >= lastSequence))
            {
                return;
            }

            await set.Gate.WaitAsync(cancellationToken);
            try
            {
                // A subscriber still replaying reads the log itself: it needs only the newest event, to fill any gap from.
                var positions = set.Subscribers.Select(s => s.Position ?? lastSequence - 1).DefaultIfEmpty(lastSequence).ToList();
                await foreach (var e in ReadLogAsync(logId, positions.Min(), lastSequence, cancellationToken))
                {
                    foreach (var subscriber in set.Subscribers.Where(s => !(s.Position >= e.Sequence)))
                    {
                        subscriber.Offer(e);
                    }
                }
            }
            finally
            {
                set.Gate.Release();
            }
        }
        finally
        {
            Release(logId, set);
        }
    }

    /// <summary>
    /// <see cref="CatchUpAsync"/> for every log this process follows, up to each log's end: after notices may have been
    /// missed (<see cref="CatchUpNotice"/>).
    /// </summary>
    public async Task CatchUpAllAsync(CancellationToken cancellationToken)
    {
        foreach (var (logId, _) in _logs)
        {
            await CatchUpAsync(logId, long.MaxValue, cancellationToken);
        }
    }

    /// <summary>
    /// Forgets a log that was deleted: its live subscribers' streams end, and the hub keeps nothing for it. A later
    /// append or subscription starts afresh.
    /// </summary>
    public void Forget(LogId logId)
    {
        if (_logs.TryRemove(logId, out var set))
        {
            set.EndAll();
        }
    }

    /// <summary>How many logs the hub holds state for: those being appended to or followed right now.</summary>
    internal int ActiveLogs => _logs.Count;

    // The state of a log lives while an appender or a subscriber uses it: appends to a log wait on one gate, and a
    // subscriber sees every append that starts after it joined. Nobody using it means no append is in flight, so a
    // later one can start a fresh state.
    private SubscriberSet Acquire(LogId logId)
    {
        while (true)
        {
            var set = _logs.GetOrAdd(logId, static _ => new SubscriberSet());
            if (set.TryAcquire())
            {
                return set;
            }
        }
    }

    private void Release(LogId logId, SubscriberSet set)
    {
        if (set.ReleaseIsLast())
        {
            _logs.TryRemove(KeyValuePair.Create(logId, set));
        }
    }
}
