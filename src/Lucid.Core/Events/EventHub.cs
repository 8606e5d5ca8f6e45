using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Lucid.Ids;
using Lucid.Storage;

namespace Lucid.Events;

/// <summary>
/// The one append path of every log (sessions, threads, dreams, imports): stamps each event that has no ID or time yet,
/// commits the events, and only then hands them to live subscribers. A subscriber replays the log from any sequence
/// number and then follows live, with no gap and no duplicate: it registers before it reads the log, and drops live
/// events it has already read.
/// </summary>
public sealed class EventHub
{
    private const int ReplayPageSize = 500;
    private readonly IEventLog _log;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly ConcurrentDictionary<LogId, SessionChannelSet> _sessions = new();

    /// <summary>Creates a hub over an event log, stamping events with <paramref name="timeProvider"/> and <paramref name="ids"/>.</summary>
    public EventHub(IEventLog log, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _log = log;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
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
        var set = _sessions.GetOrAdd(logId, static _ => new SessionChannelSet());
        await set.Gate.WaitAsync(cancellationToken);
        try
        {
            var logged = await _log.AppendAsync(logId, stamped, cancellationToken);
            foreach (var subscriber in set.Subscribers)
            {
                foreach (var e in logged)
                {
                    subscriber.Writer.TryWrite(e);
                }
            }

            return logged;
        }
        finally
        {
            set.Gate.Release();
        }
    }

    /// <summary>
    /// Stores a new session and the first events of its log in one transaction (<see cref="IEventLog.CreateSessionAsync"/>),
    /// stamping them as <see cref="AppendAsync"/> does. Nobody can follow a log before its session exists, so there is
    /// no one to publish them to.
    /// </summary>
    public Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Sessions.Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firstEvents);
        return _log.CreateSessionAsync(session, StampAll(firstEvents), cancellationToken);
    }

    private List<SessionEvent> StampAll(IReadOnlyList<SessionEvent> events)
    {
        var stamped = events.Select(Stamp).ToList();
        return stamped.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count() == stamped.Count
            ? stamped
            : throw new ArgumentException("Events appended together must have distinct IDs.", nameof(events));
    }

    /// <summary>Replays a log's events after <paramref name="afterSequence"/>, then follows new ones until cancelled.</summary>
    public async IAsyncEnumerable<LoggedEvent> SubscribeAsync(
        LogId logId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var set = _sessions.GetOrAdd(logId, static _ => new SessionChannelSet());
        var channel = Channel.CreateUnbounded<LoggedEvent>(new UnboundedChannelOptions { SingleReader = true });
        set.Add(channel);
        try
        {
            var last = afterSequence;
            while (true)
            {
                var page = await _log.ReadAsync(logId, last, ReplayPageSize, cancellationToken);
                foreach (var e in page)
                {
                    yield return e;
                    last = e.Sequence;
                }

                if (page.Count < ReplayPageSize)
                {
                    break;
                }
            }

            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (e.Sequence <= last)
                {
                    continue;
                }

                yield return e;
                last = e.Sequence;
            }
        }
        finally
        {
            set.Remove(channel);
        }
    }

    /// <summary>
    /// Forgets a log that was deleted: its live subscribers' streams end, and the hub keeps nothing for it. A later
    /// append or subscription starts afresh.
    /// </summary>
    public void Forget(LogId logId)
    {
        if (_sessions.TryRemove(logId, out var set))
        {
            set.CompleteAll();
        }
    }

    private sealed class SessionChannelSet
    {
        private readonly Lock _lock = new();
        private volatile Channel<LoggedEvent>[] _subscribers = [];

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Channel<LoggedEvent>[] Subscribers => _subscribers;

        public void Add(Channel<LoggedEvent> channel)
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers, channel];
            }
        }

        public void CompleteAll()
        {
            lock (_lock)
            {
                foreach (var channel in _subscribers)
                {
                    channel.Writer.TryComplete();
                }
            }
        }

        public void Remove(Channel<LoggedEvent> channel)
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers.Where(c => c != channel)];
            }
        }
    }
}
