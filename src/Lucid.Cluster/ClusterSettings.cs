using System.Net;

namespace Lucid.Cluster;

/// <summary>Where a node of the cluster listens, and which cluster it joins.</summary>
public sealed record ClusterSettings
{
    /// <summary>The default <see cref="NodePort"/>.</summary>
    public const int DefaultNodePort = 11111;

    /// <summary>The default <see cref="GatewayPort"/>.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The default <see cref="ClusterId"/>.</summary>
    public const string DefaultClusterId = "lucid";

    /// <summary>The port other nodes reach this one on.</summary>
    public int NodePort { get; init; } = DefaultNodePort;

    /// <summary>The port Orleans clients would connect to (Lucid uses none yet; Orleans opens it all the same).</summary>
    public int GatewayPort { get; init; } = DefaultGatewayPort;

    /// <summary>The address this node listens on and tells the others, or null for this machine's first non-loopback address.</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>Which cluster to join: nodes on one database with the same ID form one cluster.</summary>
    public string ClusterId { get; init; } = DefaultClusterId;
}
