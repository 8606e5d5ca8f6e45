using Lucid.Cluster.Sessions;
using Lucid.Events;
using Lucid.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Lucid.Cluster.Previews;

/// <summary>
/// A node's <see cref="IRemotePreviews"/>: while its streams ask for previews of a log, the node watches the log through
/// the session's grain, which relays the previews its runner produces (<see cref="PreviewRelays"/>), and hands them to
/// the hub. One watch per log for all of the node's streams, renewed every quarter of <see cref="PreviewRelays.Lease"/>
/// (which also finds the session's new owner after a failover), and ended with the last stream. A log nobody here asks
/// previews of costs nothing.
/// </summary>
internal sealed partial class GrainPreviews(IGrainFactory grains, ILucidStore store, ILocalSiloDetails silo, TimeProvider time, ILogger<GrainPreviews> logger)
    : IRemotePreviews, IPreviewWatcher, IDisposable
{
    private static readonly TimeSpan Renewal = PreviewRelays.Lease / 4;

    // How long a stream waits for the owner to take its watch before it starts anyway.
    private static readonly TimeSpan FirstAnswer = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WatchedLog> _logs = new(StringComparer.Ordinal);
    private IPreviewWatcher? _self;

    public async Task<IDisposable> WatchAsync(LogId logId, IReadOnlySet<string> types, EventHub hub, CancellationToken cancellationToken)
    {
        WatchedLog log;
        lock (_lock)
        {
            _self ??= grains.CreateObjectReference<IPreviewWatcher>(this);
            if (!_logs.TryGetValue(logId.Value, out var found))
            {
                found = new WatchedLog(logId, hub);
                found.Renewals = time.CreateTimer(_ => Sync(found), null, Renewal, Renewal);
                _logs.Add(logId.Value, found);
            }

            log = found;
            log.Add(types);
        }

        var watch = new Subscription(() =>
        {
            lock (_lock)
            {
                log.Remove(types);
            }

            Sync(log);
        });
        try
        {
            await SyncAsync(log).WaitAsync(FirstAnswer, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The owner is slow or gone: the stream goes on without waiting, and the renewals keep asking.
        }
        catch
        {
            watch.Dispose();
            throw;
        }

        return watch;
    }

    public Task PreviewedAsync(string logId, RelayedPreview[] previews)
    {
        WatchedLog? log;
        lock (_lock)
        {
            log = _logs.GetValueOrDefault(logId);
        }

        foreach (var preview in log is null ? [] : previews)
        {
            log!.Hub.Preview(log.LogId, preview.ToPreview());
        }

        return Task.CompletedTask;
    }

    public Task EndedAsync(string logId)
    {
        lock (_lock)
        {
            if (_logs.GetValueOrDefault(logId) is { } log)
            {
                Sync(log);
            }
        }

        return Task.CompletedTask;
    }

    private void Sync(WatchedLog log) => _ = SyncAsync(log);

    // Tells the session's grain what the node's streams ask now, one call at a time per log, so the last word is the
    // grain's last; a log nobody asks is let go once the grain has heard so.
    private async Task SyncAsync(WatchedLog log)
    {
        await log.Gate.WaitAsync();
        try
        {
            string[] types;
            IPreviewWatcher self;
            lock (_lock)
            {
                types = log.Types;
                self = _self ?? throw new InvalidOperationException("No watch was asked for.");
            }

            log.SessionId ??= log.LogId.IsThread ? (await store.GetThreadAsync(log.LogId, CancellationToken.None))?.SessionId : log.LogId.Value;
            if (log.SessionId is not { } sessionId)
            {
                return;
            }

            var grain = grains.GetGrain<ISessionGrain>(sessionId);
            if (types.Length > 0)
            {
                await grain.WatchPreviewsAsync(log.LogId, types, self, silo.SiloAddress);
                return;
            }

            await grain.UnwatchPreviewsAsync(log.LogId, self);
            lock (_lock)
            {
                if (log.Types.Length == 0 && _logs.Remove(log.LogId.Value))
                {
                    log.Renewals?.Dispose();
                }
            }
        }
        catch (Exception e)
        {
            // The next renewal asks again: the session's owner may be a node that just died.
            OwnerUnreachable(logger, log.LogId.Value, e.Message);
        }
        finally
        {
            log.Gate.Release();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var log in _logs.Values)
            {
                log.Renewals?.Dispose();
            }

            _logs.Clear();
            if (_self is not null)
            {
                grains.DeleteObjectReference<IPreviewWatcher>(_self);
            }
        }
    }

    // The node's streams of one log that ask for previews, by the types they ask.
    private sealed class WatchedLog(LogId logId, EventHub hub)
    {
        private readonly Dictionary<string, int> _types = new(StringComparer.Ordinal);

        public LogId LogId => logId;

        public EventHub Hub => hub;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ITimer? Renewals { get; set; }

        public string? SessionId { get; set; }

        public string[] Types => [.. _types.Keys];

        public void Add(IReadOnlySet<string> types)
        {
            foreach (var type in types)
            {
                _types[type] = _types.GetValueOrDefault(type) + 1;
            }
        }

        public void Remove(IReadOnlySet<string> types)
        {
            foreach (var type in types)
            {
                if (--_types[type] == 0)
                {
                    _types.Remove(type);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The owner of {LogId} did not take this node's watch of its previews ({Reason}); the next renewal asks again")]
    private static partial void OwnerUnreachable(ILogger logger, string logId, string reason);
}
