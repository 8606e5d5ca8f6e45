using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Storage;
using Lucid.Testing.Server;

namespace Lucid.Cluster.Tests.Sessions;

/// <summary>Sessions made through a node's API, and their logs as the shared database has them.</summary>
internal static class TestSessions
{
    /// <summary>Creates an agent, an environment and a session through <paramref name="node"/>, which then owns it.</summary>
    public static async Task<string> CreateAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        var agent = await IdOfAsync(await http.PostAsJsonAsync("/v1/agents", new { name = "owner", model = LucidTestServer.Model }));
        var environment = await IdOfAsync(await http.PostAsJsonAsync("/v1/environments", new { name = "local" }));
        return await IdOfAsync(await http.PostAsJsonAsync("/v1/sessions", new { agent, environment_id = environment }));
    }

    public static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    public static async Task<IReadOnlyList<LoggedEvent>> LogAsync(LucidTestServer node, string sessionId) =>
        (await node.Service<ILucidStore>().ListEventsAsync(sessionId, new EventQuery(), new PageRequest(1000, null), CancellationToken.None)).Items;
}
