using System.Globalization;
using System.Net;
using Lucid.Cluster;
using Lucid.Server.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Lucid.Testing.Server;

/// <summary>Test servers as the nodes of one cluster: how many a <see cref="LucidTestServer"/> is by default, and how each joins.</summary>
public static class TestCluster
{
    /// <summary>
    /// The environment variable that makes every <see cref="LucidTestServer"/> (without a database of its own) that many
    /// nodes of a cluster: <c>LUCID_TEST_NODES=3</c> runs a test suite against three nodes.
    /// </summary>
    public const string NodesVariable = "LUCID_TEST_NODES";

    // Orleans' membership protocol runs on the real clock; this bounds a wait for it, it never paces a test.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The number of nodes <see cref="NodesVariable"/> sets; 1 when unset.</summary>
    public static int Nodes { get; } = int.TryParse(Environment.GetEnvironmentVariable(NodesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var nodes) && nodes > 0 ? nodes : 1;

    /// <summary>A node of the cluster on <paramref name="database"/>, on free loopback ports.</summary>
    public static IClusterHosting Node(string database) =>
        new OrleansCluster(database, new ClusterSettings { NodeAddress = IPAddress.Loopback, NodePort = FreePorts.Next(), GatewayPort = FreePorts.Next() });

    /// <summary>Waits until each of the nodes whose services are <paramref name="nodes"/> sees them all active.</summary>
    public static async Task WaitForMembersAsync(IReadOnlyList<IServiceProvider> nodes)
    {
        using var timeout = new CancellationTokenSource(Patience);
        foreach (var node in nodes)
        {
            var membership = node.GetRequiredService<IClusterMembershipService>();
            if (Active(membership.CurrentSnapshot) >= nodes.Count)
            {
                continue;
            }

            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
            {
                if (Active(snapshot) >= nodes.Count)
                {
                    break;
                }
            }
        }
    }

    private static int Active(ClusterMembershipSnapshot snapshot) => snapshot.Members.Values.Count(member => member.Status == SiloStatus.Active);
}
