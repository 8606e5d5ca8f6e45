using System.Threading.Channels;

namespace Lucid.Events;

/// <summary>
/// One live subscriber of a log: a bounded buffer of the events published since it subscribed. An appender offers
/// events without ever waiting; when the buffer is full, the subscriber is cut off instead — its buffer is completed
/// (what is in it can still be read) and it takes no more events — so a slow reader neither holds appenders back nor
/// grows memory.
/// </summary>
/// <remarks>
/// A subscriber that asked for previews of some event types gets them in the same buffer, in order with the committed
/// events, but only once it follows live (a preview offered during its replay could land after the event it previews),
/// when it is caught up with the preview of the event being produced. Previews take at most half the buffer: one that
/// finds no room is dropped, and with it the rest of that event's preview, which then ends early (the committed event
/// still carries everything). Previews never cut a subscriber off.
/// </remarks>
internal sealed class LogSubscriber
{
    private const int Open = 0;
    private const int FellBehindState = 1;
    private const int Ended = 2;
    private readonly Channel<LogStreamItem> _buffer;
    private readonly int _capacity;
    private readonly IReadOnlySet<string> _previewTypes;
    private readonly Lock _previewLock = new();
    private int _state;
    private long _offered = -1;
    private bool _live;
    private string? _previewing;

    public LogSubscriber(int capacity, IReadOnlySet<string>? previewTypes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _previewTypes = previewTypes ?? new HashSet<string>();
        _buffer = Channel.CreateBounded<LogStreamItem>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The buffered events and previews; it completes when the subscriber is cut off or its log is forgotten.</summary>
    public ChannelReader<LogStreamItem> Events => _buffer.Reader;

    /// <summary>Whether the subscriber asked for previews of events of a type.</summary>
    public bool WantsPreviews(string eventType) => _previewTypes.Contains(eventType);

    /// <summary>
    /// The highest sequence number the subscriber has read from the log or been offered, once it follows live; null while
    /// it replays.
    /// </summary>
    public long? Position
    {
        get
        {
            lock (_previewLock)
            {
                return _live ? Interlocked.Read(ref _offered) : null;
            }
        }
    }

    /// <summary>
    /// Marks the end of the replay, which read up to <paramref name="replayed"/>: previews offered from now on follow
    /// every event it read. The preview of the event being produced, if any, is offered at once as far as it has come.
    /// </summary>
    public void GoLive(long replayed, OpenPreview? open)
    {
        lock (_previewLock)
        {
            _live = true;
            RaiseOffered(replayed);
        }

        foreach (var preview in open?.SoFar() ?? [])
        {
            OfferPreview(preview);
        }
    }

    /// <summary>Buffers a preview if the subscriber wants it and has room for it; drops it otherwise. Never waits.</summary>
    public void OfferPreview(EventPreview preview)
    {
        lock (_previewLock)
        {
            switch (preview)
            {
                case EventPreviewStart start:
                    _previewing = _live && WantsPreviews(start.EventType) && TryWritePreview(start) ? start.EventId : null;
                    break;
                case EventPreviewDelta delta when delta.EventId == _previewing && !TryWritePreview(delta):
                    _previewing = null;
                    break;
            }
        }
    }

    private bool TryWritePreview(EventPreview preview) =>
        _buffer.Reader.Count < _capacity / 2 && _buffer.Writer.TryWrite(new LogStreamItem(preview));

    /// <summary>Whether the subscriber was cut off because its buffer was full.</summary>
    public bool FellBehind => Volatile.Read(ref _state) == FellBehindState;

    /// <summary>Buffers an event, or cuts the subscriber off if its buffer is full. Never waits.</summary>
    public void Offer(LoggedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        RaiseOffered(e.Sequence);
        if (!_buffer.Writer.TryWrite(new LogStreamItem(e)) && Interlocked.CompareExchange(ref _state, FellBehindState, Open) == Open)
        {
            _buffer.Writer.TryComplete();
        }
    }

    private void RaiseOffered(long sequence)
    {
        var seen = Interlocked.Read(ref _offered);
        while (sequence > seen && Interlocked.CompareExchange(ref _offered, sequence, seen) is var was && was != seen)
        {
            seen = was;
        }
    }

    /// <summary>Ends the subscription because its log is gone.</summary>
    public void End()
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Open) == Open)
        {
            _buffer.Writer.TryComplete();
        }
    }
}
