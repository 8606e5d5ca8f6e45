namespace Lucid.Server.Cluster;

/// <summary>
/// Where dreams run: each on one node at a time. On a single node that is this one; in a cluster, the node the dream's
/// grain lives on. A recovery starts the dreams left pending and fails those left running.
/// </summary>
internal interface IDreamOwners : IRunOwners
{
    /// <summary>Stops a canceled dream on its owner (its status was already set).</summary>
    void Cancel(string dreamId);
}
