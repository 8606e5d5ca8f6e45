namespace Lucid.Events;

/// <summary>
/// The live state of one log in the <see cref="EventHub"/>: its append gate, its subscribers, and the preview of the event
/// being produced (<see cref="OpenPreview"/>), which a subscriber that goes live meanwhile is caught up with, and the
/// relays that hand its previews to other processes (<see cref="EventHub.RelayPreviews"/>). It lives while an appender,
/// a subscriber or a relay uses it.
/// </summary>
internal sealed class SubscriberSet
{
    private readonly Lock _lock = new();
    private volatile LogSubscriber[] _subscribers = [];
    private int _users;
    private bool _closed;
    private OpenPreview? _open;
    private PreviewRelay[] _relays = [];
    private long _committed;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public LogSubscriber[] Subscribers => _subscribers;

    /// <summary>Whether a subscriber asked for previews of events of a type.</summary>
    public bool WantsPreviews(string eventType) => _subscribers.Any(s => s.WantsPreviews(eventType)) || Volatile.Read(ref _relays).Any(r => r.Types.Contains(eventType));

    /// <summary>
    /// Keeps a preview as the open one (or adds to it), offers it to every subscriber, and hands it to every relay that
    /// asked for its type, a start stamped with the last sequence number committed before it.
    /// </summary>
    public void Preview(EventPreview preview)
    {
        lock (_lock)
        {
            switch (preview)
            {
                case EventPreviewStart start:
                    _open = new OpenPreview(start);
                    break;
                case EventPreviewDelta delta when delta.EventId == _open?.Start.EventId:
                    _open.Add(delta);
                    break;
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.OfferPreview(preview);
            }

            foreach (var relay in _relays)
            {
                relay.Offer(preview is EventPreviewStart start ? start with { After = _committed } : preview);
            }
        }
    }

    /// <summary>Notes the last sequence number of events just committed, which relayed previews started after.</summary>
    public void Committed(long sequence)
    {
        lock (_lock)
        {
            _committed = Math.Max(_committed, sequence);
        }
    }

    /// <summary>Adds a relay; <paramref name="committed"/> is a sequence number the log has reached (or passed).</summary>
    public void AddRelay(PreviewRelay relay, long committed)
    {
        lock (_lock)
        {
            _committed = Math.Max(_committed, committed);
            _relays = [.. _relays, relay];
        }
    }

    public void RemoveRelay(PreviewRelay relay)
    {
        lock (_lock)
        {
            _relays = [.. _relays.Where(r => r != relay)];
        }
    }

    /// <summary>
    /// Closes the open preview before events that conclude it are committed (the previewed event itself, or the end of
    /// the model request that produced it), so a subscriber whose replay read them is never caught up with it.
    /// </summary>
    public void Concluding(IReadOnlyList<SessionEvent> events)
    {
        lock (_lock)
        {
            if (_open is { } open && events.Any(e => e.Id == open.Start.EventId || e is SpanModelRequestEndEvent))
            {
                _open = null;
            }
        }
    }

    /// <summary>Lets a subscriber that has replayed the log up to <paramref name="replayed"/> take previews, caught up with the open one.</summary>
    public void GoLive(LogSubscriber subscriber, long replayed)
    {
        lock (_lock)
        {
            subscriber.GoLive(replayed, _open);
        }
    }

    public void Add(LogSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
    }

    /// <summary>Counts one more user; false when the state was already let go (take the log's new one).</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _users++;
            return true;
        }
    }

    /// <summary>Counts one user fewer; true when it was the last, and the state is let go.</summary>
    public bool ReleaseIsLast()
    {
        lock (_lock)
        {
            if (--_users > 0)
            {
                return false;
            }

            _closed = true;
            return true;
        }
    }

    public void EndAll()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }
        }
    }

    public void Remove(LogSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        }
    }
}
