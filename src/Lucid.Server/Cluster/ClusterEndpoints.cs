using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Cluster;

/// <summary><c>GET /v1/lucid/cluster</c>, a Lucid extension: the nodes serving this database and the sessions each owns.</summary>
internal static class ClusterEndpoints
{
    public static RouteGroupBuilder MapCluster(this RouteGroupBuilder v1)
    {
        v1.MapGet("/lucid/cluster", GetAsync);
        return v1;
    }

    private static async Task<IResult> GetAsync(HttpContext http, IClusterNodes cluster)
    {
        var nodes = await cluster.ListAsync(http.RequestAborted);
        return TypedResults.Json(new JsonObject
        {
            ["type"] = "cluster",
            ["cluster_id"] = cluster.ClusterId,
            ["nodes"] = new JsonArray([.. nodes.Select(ClusterWire.ToJson)]),
        });
    }
}
