using System.Threading.Channels;
using Lucid.Events;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Previews;

/// <summary>
/// Relays one log's previews from this node's event hub to one watching node, in order, in batches, through a queue of
/// its own, so the runner never waits on the network. A full queue drops the rest of the preview it was filling (the
/// committed event carries everything); a failed call stops the pump, and the watcher's next renewal starts a new one.
/// </summary>
internal sealed partial class RelayPump : IDisposable
{
    private const int Capacity = 1_000;
    private const int BatchSize = 200;
    private readonly Channel<EventPreview> _queue = Channel.CreateBounded<EventPreview>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly string _logId;
    private readonly IPreviewWatcher _watcher;
    private readonly ILogger _logger;
    private readonly IDisposable _relay;
    private string? _dropping;
    private volatile bool _failed;

    public RelayPump(EventHub hub, LogId logId, IReadOnlySet<string> types, long committed, IPreviewWatcher watcher, ILogger logger)
    {
        _logId = logId.Value;
        _watcher = watcher;
        _logger = logger;
        _relay = hub.RelayPreviews(logId, types, committed, Enqueue);
        _ = Task.Run(PumpAsync);
    }

    /// <summary>Whether a call to the watcher failed, which stopped the pump.</summary>
    public bool Failed => _failed;

    // Called under the log's lock, in order: never waits.
    private void Enqueue(EventPreview preview)
    {
        if (preview is EventPreviewStart)
        {
            _dropping = null;
        }

        if (preview.EventId != _dropping && !_queue.Writer.TryWrite(preview))
        {
            _dropping = preview.EventId;
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            var batch = new List<RelayedPreview>(BatchSize);
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var preview))
                {
                    batch.Add(RelayedPreview.Of(preview));
                }

                await _watcher.PreviewedAsync(_logId, [.. batch]);
            }
        }
        catch (Exception e)
        {
            _failed = true;
            _relay.Dispose();
            WatcherFailed(_logger, _logId, e.Message);
        }
    }

    /// <summary>Stops relaying; what is queued still goes out, then the pump ends.</summary>
    public void Dispose()
    {
        _relay.Dispose();
        _queue.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Previews of {LogId} are no longer relayed to a node that did not answer ({Reason}); it asks again if it still streams them")]
    private static partial void WatcherFailed(ILogger logger, string logId, string reason);
}
