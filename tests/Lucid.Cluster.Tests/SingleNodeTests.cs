using System.Net;
using System.Text.Json.Nodes;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;
using Npgsql;

namespace Lucid.Cluster.Tests;

public sealed class SingleNodeTests
{
    [Fact]
    public async Task On_SQLite_the_server_is_one_node_and_healthy_without_a_cluster()
    {
        await using var server = new LucidTestServer();
        await server.StartAsync();

        using var health = await server.Http(null).GetAsync("/health");
        var checks = JsonNode.Parse(await health.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        var cluster = JsonNode.Parse(await server.Http(server.AlphaKey).GetStringAsync("/v1/lucid/cluster"))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(["store"], checks.Select(c => c.Key));
        Assert.Null(cluster["cluster_id"]);
        var node = Assert.Single(cluster["nodes"]!.AsArray())!;
        Assert.Equal("active", (string?)node["status"]);
        Assert.True((bool)node["self"]!);
        Assert.Equal(server.BaseUrl, (string?)node["address"]);
    }

    [Fact]
    public async Task The_cluster_endpoint_needs_an_API_key()
    {
        await using var server = new LucidTestServer();
        await server.StartAsync();

        using var response = await server.Http(null).GetAsync("/v1/lucid/cluster");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_is_503_when_the_store_is_gone()
    {
        var postgres = await PostgresServer.Shared;
        var database = await postgres.CreateDatabaseAsync();
        await using var server = new LucidTestServer { Database = database };
        await server.StartAsync();

        await using (var admin = new NpgsqlConnection(postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        using var response = await server.Http(null).GetAsync("/health");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", (string?)body["checks"]!["store"]!["status"]);
    }
}
