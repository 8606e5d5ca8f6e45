namespace Lucid;

/// <summary>
/// Runs one kind of work in the background (dreams, eval runs), each run in one process at a time, and settles the runs
/// a stopped process left behind. A cluster gives each run one owner node through these: the node that runs it answers
/// for it, and a run that no node runs is settled once.
/// </summary>
public interface IBackgroundRunner
{
    /// <summary>Starts a pending run here (a run already started here is left alone).</summary>
    void Start(string id);

    /// <summary>Whether the run is under way in this process.</summary>
    bool Runs(string id);

    /// <summary>The runs a recovery looks at, oldest first: those stored as pending or running.</summary>
    Task<IReadOnlyList<string>> UnsettledAsync(CancellationToken cancellationToken);

    /// <summary>Settles one run as a recovery does, unless it runs here; returns whether it touched the run.</summary>
    Task<bool> SettleAsync(string id, CancellationToken cancellationToken);
}
