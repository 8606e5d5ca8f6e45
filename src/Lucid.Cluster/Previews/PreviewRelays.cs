using Lucid.Events;
using Lucid.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Lucid.Cluster.Previews;

/// <summary>
/// The nodes that stream one session's logs with previews, as the session's grain knows them: a watch from another node
/// relays the previews produced here to it (<see cref="RelayPump"/>); a watch from this node needs no relay, its streams
/// share this hub. A watch lasts <see cref="Lease"/> unless renewed, so a node that died is forgotten; the grain stays
/// active while it has watches, and tells the watchers when it deactivates.
/// </summary>
internal sealed partial class PreviewRelays(EventHub hub, ILucidStore store, ILocalSiloDetails silo, TimeProvider time, ILogger<PreviewRelays> logger)
{
    /// <summary>How long a watch lasts without a renewal.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly Dictionary<(string LogId, IPreviewWatcher Watcher), Watch> _watches = [];

    /// <summary>Whether any node watches.</summary>
    public bool Any => _watches.Count > 0;

    /// <summary>Starts or renews a node's watch of a log of <paramref name="sessionId"/> (the session's own or a thread's).</summary>
    public async Task WatchAsync(string sessionId, string logId, string[] types, IPreviewWatcher watcher, SiloAddress node)
    {
        var key = (logId, watcher);
        if (_watches.TryGetValue(key, out var watch) && watch.Types.SetEquals(types) && watch.Pump is not { Failed: true })
        {
            _watches[key] = watch with { RenewedAt = time.GetUtcNow() };
            return;
        }

        Unwatch(logId, watcher);
        RelayPump? pump = null;
        if (!node.Equals(silo.SiloAddress))
        {
            if (await CommittedAsync(sessionId, logId) is not { } committed)
            {
                return;
            }

            pump = new RelayPump(hub, LogId.Of(logId), types.ToHashSet(StringComparer.Ordinal), committed, watcher, logger);
        }

        _watches[key] = new Watch(types.ToHashSet(StringComparer.Ordinal), pump, time.GetUtcNow());
    }

    /// <summary>Ends a node's watch of a log.</summary>
    public void Unwatch(string logId, IPreviewWatcher watcher)
    {
        if (_watches.Remove((logId, watcher), out var watch))
        {
            watch.Pump?.Dispose();
        }
    }

    /// <summary>Forgets the watches not renewed within <see cref="Lease"/> and those whose node stopped answering.</summary>
    public void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var ((logId, watcher), watch) in _watches.Where(w => now - w.Value.RenewedAt > Lease || w.Value.Pump is { Failed: true }).ToList())
        {
            Unwatch(logId, watcher);
        }
    }

    /// <summary>Ends every watch and tells each watcher, which asks again (and so finds the session's next owner).</summary>
    public void EndAll()
    {
        foreach (var ((logId, watcher), watch) in _watches)
        {
            watch.Pump?.Dispose();
            try
            {
                _ = watcher.EndedAsync(logId);
            }
            catch (Exception e)
            {
                EndNotSent(logger, logId, e.Message);
            }
        }

        _watches.Clear();
    }

    // The last sequence number committed to the log, if it is the session's own or one of its threads'.
    private async Task<long?> CommittedAsync(string sessionId, string logId)
    {
        if (logId == sessionId)
        {
            return (await store.GetSessionAsync(sessionId, CancellationToken.None))?.LastSequence;
        }

        return await store.GetThreadAsync(logId, CancellationToken.None) is { } thread && thread.SessionId == sessionId ? thread.LastSequence : null;
    }

    private sealed record Watch(HashSet<string> Types, RelayPump? Pump, DateTimeOffset RenewedAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A node watching previews of {LogId} was not told that they stop ({Reason}); its next renewal finds out")]
    private static partial void EndNotSent(ILogger logger, string logId, string reason);
}
