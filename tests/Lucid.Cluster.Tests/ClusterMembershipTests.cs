using System.Net;
using System.Text.Json.Nodes;
using Orleans.Runtime;

namespace Lucid.Cluster.Tests;

public sealed class ClusterMembershipTests
{
    [Fact]
    public async Task Two_nodes_on_one_database_see_each_other()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForMembershipAsync(a, snapshot => TestNodes.Active(snapshot) == 2);
        await TestNodes.WaitForMembershipAsync(b, snapshot => TestNodes.Active(snapshot) == 2);

        foreach (var node in new[] { a, b })
        {
            using var http = node.Http(node.AlphaKey);
            var cluster = JsonNode.Parse(await http.GetStringAsync("/v1/lucid/cluster"))!;
            Assert.Equal("lucid", (string?)cluster["cluster_id"]);
            var nodes = cluster["nodes"]!.AsArray();
            Assert.Equal(2, nodes.Count);
            Assert.All(nodes, n => Assert.Equal("active", (string?)n!["status"]));
            Assert.Single(nodes, n => (bool)n!["self"]!);
            Assert.All(nodes, n => Assert.StartsWith("127.0.0.1:", (string?)n!["address"], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_stopped_node_leaves_the_membership()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForMembershipAsync(a, snapshot => TestNodes.Active(snapshot) == 2);
        var stopped = b.Service<ILocalSiloDetails>().SiloAddress;

        await b.DisposeAsync();
        await TestNodes.WaitForMembershipAsync(a, snapshot => snapshot.GetSiloStatus(stopped) == SiloStatus.Dead);

        using var http = a.Http(a.AlphaKey);
        var nodes = JsonNode.Parse(await http.GetStringAsync("/v1/lucid/cluster"))!["nodes"]!.AsArray();
        Assert.Equal("dead", (string?)nodes.Single(n => !(bool)n!["self"]!)!["status"]);
        Assert.Equal("active", (string?)nodes.Single(n => (bool)n!["self"]!)!["status"]);
        using var health = await a.Http(null).GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Health_of_a_node_checks_its_store_and_its_membership()
    {
        await using var node = await TestNodes.StartAsync(await TestNodes.DatabaseAsync());

        using var response = await node.Http(null).GetAsync("/health");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)body["status"]);
        Assert.Equal("healthy", (string?)body["checks"]!["store"]!["status"]);
        Assert.Equal("healthy", (string?)body["checks"]![OrleansCluster.MembershipCheck]!["status"]);
    }
}
