namespace Lucid.Server.Cluster;

/// <summary>
/// Where dreams run: each on one node at a time. On a single node that is this one; in a cluster, the node the dream's
/// grain lives on.
/// </summary>
internal interface IDreamOwners
{
    /// <summary>Starts a dream just created, on its owner.</summary>
    void Start(string dreamId);

    /// <summary>Stops a canceled dream on its owner (its status was already set).</summary>
    void Cancel(string dreamId);

    /// <summary>Starts the dreams left pending and fails those left running by a node that stopped; returns how many it touched.</summary>
    Task<int> RecoverAsync(CancellationToken cancellationToken);
}
