using System.Net;
using Lucid.Server;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;
using Orleans.Runtime;

namespace Lucid.Cluster.Tests;

/// <summary>Test servers as nodes of one cluster on one database of the test process's PostgreSQL server.</summary>
internal static class TestNodes
{
    // Orleans' membership protocol runs on the real clock; this bounds a wait for it, it never paces a test.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static Task<string> DatabaseAsync() => PostgresServer.Shared.ContinueWith(server => server.Result.CreateDatabaseAsync()).Unwrap();

    /// <summary>
    /// A started node of the cluster on <paramref name="database"/>, on free loopback ports; <paramref name="time"/> is
    /// Lucid's clock there, and <paramref name="rateLimit"/> its per-key limit.
    /// </summary>
    public static async Task<LucidTestServer> StartAsync(string database, TimeProvider? time = null, ApiRateLimit? rateLimit = null)
    {
        var node = new LucidTestServer
        {
            Database = database,
            Cluster = new OrleansCluster(database, new ClusterSettings { NodeAddress = IPAddress.Loopback, NodePort = FreePorts.Next(), GatewayPort = FreePorts.Next() }),
        };
        await node.StartAsync(rateLimit: rateLimit, time: time);
        return node;
    }

    /// <summary>Waits until <paramref name="node"/>'s view of the membership satisfies <paramref name="condition"/>.</summary>
    public static async Task WaitForMembershipAsync(LucidTestServer node, Func<ClusterMembershipSnapshot, bool> condition)
    {
        var membership = node.Service<IClusterMembershipService>();
        using var timeout = new CancellationTokenSource(Patience);
        if (condition(membership.CurrentSnapshot))
        {
            return;
        }

        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
        {
            if (condition(snapshot))
            {
                return;
            }
        }
    }

    /// <summary>Waits until each node sees every one of <paramref name="nodes"/> active: before then, a node may take a grain for its own.</summary>
    public static async Task WaitForEachOtherAsync(params LucidTestServer[] nodes)
    {
        foreach (var node in nodes)
        {
            await WaitForMembershipAsync(node, snapshot => Active(snapshot) == nodes.Length);
        }
    }

    public static int Active(ClusterMembershipSnapshot snapshot) => snapshot.Members.Values.Count(member => member.Status == SiloStatus.Active);
}
