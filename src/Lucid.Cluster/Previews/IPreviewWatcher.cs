using Orleans.Concurrency;

namespace Lucid.Cluster.Previews;

/// <summary>
/// A node that streams a session's logs with previews, as the session's grain calls it back (an Orleans grain observer):
/// the owner relays the previews its runner produces, and says when it stops relaying.
/// </summary>
public interface IPreviewWatcher : IGrainObserver
{
    /// <summary>Previews of a log, in the order they were produced; the next call waits for this one.</summary>
    Task PreviewedAsync(string logId, RelayedPreview[] previews);

    /// <summary>The session's grain is deactivating: its watches of the log are gone, and the node asks again.</summary>
    [OneWay]
    Task EndedAsync(string logId);
}
