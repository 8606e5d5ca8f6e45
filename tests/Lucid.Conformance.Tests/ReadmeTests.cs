using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

/// <summary>The README's quickstart, as written there (with the fixture's key, address and fake model).</summary>
[Collection(ServerTestGroup.Name)]
public sealed class ReadmeTests(LucidServerFixture server)
{
    [Fact]
    public async Task The_readme_quickstart_runs_against_a_real_server()
    {
        server.Upstream.ReplyText("README.md and docs/.");
        var seen = new List<string>();

        var client = new AnthropicClient(new ClientOptions { ApiKey = server.AlphaKey, BaseUrl = server.BaseUrl });
        var agent = await client.Beta.Agents.Create(new() { Name = "helper", Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model } });
        var environment = await client.Beta.Environments.Create(new() { Name = "local" });
        var session = await client.Beta.Sessions.Create(new()
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "List the files in the workspace." }] }],
        });
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID))
        {
            seen.Add(e.Json.GetProperty("type").GetString() ?? "");
            if (e.Json.GetProperty("type").GetString() == "session.status_idle") break;
        }

        Assert.Equal("session.status_idle", seen[^1]);
        Assert.Contains("agent.message", seen);
    }
}
