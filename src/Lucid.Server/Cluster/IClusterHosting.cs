using Microsoft.Extensions.Hosting;

namespace Lucid.Server.Cluster;

/// <summary>
/// Makes the server a node of a cluster: adds what runs the cluster to the host, and its <see cref="IClusterNodes"/>
/// and health checks to the services. Without one, the server is a single node.
/// </summary>
public interface IClusterHosting
{
    /// <summary>Adds the cluster to the server's host.</summary>
    void AddTo(IHostApplicationBuilder builder);
}
