namespace Lucid.Server.Cluster;

/// <summary>One <c>lucid serve</c> process of the cluster, as the cluster's membership sees it.</summary>
/// <param name="Name">The node's name (its host and node port).</param>
/// <param name="Address">Where other nodes reach it (<c>host:port</c>), or its HTTP address on a single node.</param>
/// <param name="Status">Where it is in its life in the cluster.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="SessionsOwned">How many sessions it owns now: it runs their turns.</param>
/// <param name="Self">Whether it is the node that answers.</param>
public sealed record ClusterNode(string Name, string Address, ClusterNodeStatus Status, DateTimeOffset StartedAt, int SessionsOwned, bool Self);
