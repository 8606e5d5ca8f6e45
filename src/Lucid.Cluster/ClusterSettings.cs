using System.Net;

namespace Lucid.Cluster;

/// <summary>Where a node of the cluster listens, which cluster it joins, and how soon it finds another node dead.</summary>
public sealed record ClusterSettings
{
    /// <summary>The default <see cref="NodePort"/>.</summary>
    public const int DefaultNodePort = 11111;

    /// <summary>The default <see cref="GatewayPort"/>.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The default <see cref="ClusterId"/>.</summary>
    public const string DefaultClusterId = "lucid";

    /// <summary>The default <see cref="MissedProbes"/> (Orleans' own is 3): with <see cref="DefaultProbeTimeout"/>, a dead node's sessions move within 30 s.</summary>
    public const int DefaultMissedProbes = 2;

    /// <summary>The default <see cref="ProbeTimeout"/> (Orleans' own is 5 s).</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The default <see cref="DrainTimeout"/>.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The port other nodes reach this one on.</summary>
    public int NodePort { get; init; } = DefaultNodePort;

    /// <summary>The port Orleans clients would connect to (Lucid uses none yet; Orleans opens it all the same).</summary>
    public int GatewayPort { get; init; } = DefaultGatewayPort;

    /// <summary>The address this node listens on and tells the others, or null for this machine's first non-loopback address.</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>Which cluster to join: nodes on one database with the same ID form one cluster.</summary>
    public string ClusterId { get; init; } = DefaultClusterId;

    /// <summary>
    /// How long a node waits for another to answer a liveness probe (Orleans' <c>ProbeTimeout</c>); probes go out about
    /// this often. A node that misses <see cref="MissedProbes"/> in a row is suspected, and declared dead once two nodes
    /// suspect it (or the only other node does).
    /// </summary>
    public TimeSpan ProbeTimeout { get; init; } = DefaultProbeTimeout;

    /// <summary>How many probes in a row a node may miss before it is suspected (Orleans' <c>NumMissedProbesLimit</c>).</summary>
    public int MissedProbes { get; init; } = DefaultMissedProbes;

    /// <summary>How long a graceful stop waits for the turns running on this node to finish before it cuts them off.</summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;
}
