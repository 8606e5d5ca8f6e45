using System.Threading.Channels;

namespace Lucid.Events;

/// <summary>
/// One live subscriber of a log: a bounded buffer of the events published since it subscribed. An appender offers
/// events without ever waiting; when the buffer is full, the subscriber is cut off instead — its buffer is completed
/// (what is in it can still be read) and it takes no more events — so a slow reader neither holds appenders back nor
/// grows memory.
/// </summary>
internal sealed class LogSubscriber
{
    private const int Open = 0;
    private const int FellBehindState = 1;
    private const int Ended = 2;
    private readonly Channel<LoggedEvent> _buffer;
    private int _state;

    public LogSubscriber(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _buffer = Channel.CreateBounded<LoggedEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The buffered events; it completes when the subscriber is cut off or its log is forgotten.</summary>
    public ChannelReader<LoggedEvent> Events => _buffer.Reader;

    /// <summary>Whether the subscriber was cut off because its buffer was full.</summary>
    public bool FellBehind => Volatile.Read(ref _state) == FellBehindState;

    /// <summary>Buffers an event, or cuts the subscriber off if its buffer is full. Never waits.</summary>
    public void Offer(LoggedEvent e)
    {
        if (!_buffer.Writer.TryWrite(e) && Interlocked.CompareExchange(ref _state, FellBehindState, Open) == Open)
        {
            _buffer.Writer.TryComplete();
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
