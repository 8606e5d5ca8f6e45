namespace Lucid.Server.Cluster;

/// <summary>The nodes serving this database: one on SQLite, the cluster's members on PostgreSQL.</summary>
public interface IClusterNodes
{
    /// <summary>The cluster's ID, or null for a single node that is in no cluster.</summary>
    string? ClusterId { get; }

    /// <summary>Every node membership knows of, this one included, oldest first.</summary>
    Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken);
}
