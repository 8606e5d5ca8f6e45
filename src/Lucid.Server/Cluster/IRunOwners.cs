namespace Lucid.Server.Cluster;

/// <summary>
/// Where one kind of background run goes (<see cref="IBackgroundRunner"/>: dreams, eval runs): each on one node at a
/// time. On a single node that is this one; in a cluster, the node the run's grain lives on.
/// </summary>
internal interface IRunOwners
{
    /// <summary>Starts a run just created, on its owner.</summary>
    void Start(string id);

    /// <summary>Settles the runs left pending or running by a node that stopped (see <see cref="IBackgroundRunner.SettleAsync"/>); returns how many it touched.</summary>
    Task<int> RecoverAsync(CancellationToken cancellationToken);
}
