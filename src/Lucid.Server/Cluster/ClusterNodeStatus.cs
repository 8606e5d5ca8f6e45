namespace Lucid.Server.Cluster;

/// <summary>Where a node is in its life in the cluster.</summary>
public enum ClusterNodeStatus
{
    /// <summary>Starting: not yet taking work.</summary>
    Joining,

    /// <summary>A member: it takes work.</summary>
    Active,

    /// <summary>Stopping gracefully, handing its work over.</summary>
    ShuttingDown,

    /// <summary>Gone: stopped, or declared dead by the others.</summary>
    Dead,
}
