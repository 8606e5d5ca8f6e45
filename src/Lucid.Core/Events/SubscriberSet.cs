namespace Lucid.Events;

/// <summary>
/// The live state of one log in the <see cref="EventHub"/>: its append gate, its subscribers, and the preview of the event
/// being produced (<see cref="OpenPreview"/>), which a subscriber that goes live meanwhile is caught up with. It lives
/// while an appender or a subscriber uses it.
/// </summary>
internal sealed class SubscriberSet
{
    private readonly Lock _lock = new();
    private volatile LogSubscriber[] _subscribers = [];
    private int _users;
    private bool _closed;
    private OpenPreview? _open;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public LogSubscriber[] Subscribers => _subscribers;

    /// <summary>Whether a subscriber asked for previews of events of a type.</summary>
    public bool WantsPreviews(string eventType) => _subscribers.Any(s => s.WantsPreviews(eventType));

    /// <summary>Keeps a preview as the open one (or adds to it) and offers it to every subscriber.</summary>
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
