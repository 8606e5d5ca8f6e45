using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Storage;
using Lucid.Testing.Server;

namespace Lucid.Cluster.Tests.Sessions;

/// <summary>Sessions on test nodes: created, sent messages, followed and read back.</summary>
internal static class SessionsOnNodes
{
    public static object Message(string text) => new { events = new[] { new { type = "user.message", content = new[] { new { type = "text", text } } } } };

    /// <summary>Creates an agent, an environment and a session through <paramref name="node"/>, which then owns it.</summary>
    public static async Task<string> CreateAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        var agent = await IdOfAsync(await http.PostAsJsonAsync("/v1/agents", new { name = "owner", model = LucidTestServer.Model }));
        var environment = await IdOfAsync(await http.PostAsJsonAsync("/v1/environments", new { name = "local" }));
        return await IdOfAsync(await http.PostAsJsonAsync("/v1/sessions", new { agent, environment_id = environment }));
    }

    /// <summary>The ID of the resource a successful create answered with.</summary>
    public static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    public static async Task<IReadOnlyList<LoggedEvent>> LogAsync(LucidTestServer node, string sessionId) =>
        (await node.Service<ILucidStore>().ListEventsAsync(sessionId, new EventQuery(), new PageRequest(1000, null), CancellationToken.None)).Items;

    // Follows the session's stream on the node until it has gone idle `count` times after running.
    public static Task WaitForIdlesAsync(LucidTestServer node, string sessionId, int count) => Task.Run(async () =>
    {
        using var timeout = new CancellationTokenSource(TestNodes.Patience);
        using var http = node.Http(node.AlphaKey);
        using var stream = new StreamReader(await http.GetStreamAsync($"/v1/sessions/{sessionId}/events/stream", timeout.Token));
        var idles = 0;
        var ran = false;
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var type = (string?)JsonNode.Parse(line[5..])!["type"];
            ran |= type == "session.status_running";
            if (ran && type == "session.status_idle" && ++idles == count)
            {
                return;
            }
        }
    });
}
