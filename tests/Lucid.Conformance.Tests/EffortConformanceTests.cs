using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

/// <summary>An agent's <c>model.effort</c>: stored per version, shown as <c>{"type": level}</c>, sent to the provider.</summary>
[Collection(ServerTestGroup.Name)]
public sealed class EffortConformanceTests(LucidServerFixture server)
{
    private static string? EffortOf(BetaManagedAgentsAgent agent) =>
        JsonSerializer.SerializeToElement(agent.Model).TryGetProperty("effort", out var effort) && effort.ValueKind == JsonValueKind.Object
            ? effort.GetProperty("type").GetString()
            : null;

    [Fact]
    public async Task Effort_round_trips_is_kept_when_an_update_omits_it_and_is_cleared_by_null()
    {
        var client = server.Alpha;

        var created = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "thinker",
            Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model, Effort = BetaManagedAgentsEffortLevel.Max },
        });
        var renamed = await client.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 1, Name = "deep thinker", Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model } });
        var lowered = await client.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 2, Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model, Effort = new BetaManagedAgentsEffortLow() } });
        var plain = await client.Beta.Agents.Create(new AgentCreateParams { Name = "plain", Model = LucidServerFixture.ModelParam });

        created.Validate();
        lowered.Validate();
        Assert.Equal("max", EffortOf(created));
        Assert.Equal("max", EffortOf(await client.Beta.Agents.Retrieve(created.ID, new AgentRetrieveParams { Version = 1 })));
        Assert.Equal("max", EffortOf(renamed));
        Assert.Equal("low", EffortOf(lowered));
        Assert.Null(EffortOf(plain));

        using var http = server.Http(server.AlphaKey);
        var cleared = await http.PostAsync($"/v1/agents/{created.ID}", Json($$$"""{"version": 3, "model": {"id": "{{{LucidServerFixture.Model}}}", "effort": null}}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null(EffortOf(await client.Beta.Agents.Retrieve(created.ID)));
    }

    [Theory]
    [InlineData("\"extreme\"", "model.effort")]
    [InlineData("{\"type\": \"huge\"}", "model.effort.type")]
    [InlineData("7", "model.effort")]
    public async Task An_unknown_effort_is_a_400_naming_the_field(string effort, string field)
    {
        using var http = server.Http(server.AlphaKey);

        var response = await http.PostAsync("/v1/agents", Json($$$"""{"name": "bad", "model": {"id": "{{{LucidServerFixture.Model}}}", "effort": {{{effort}}}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sessions_model_requests_carry_the_agents_effort()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "effortful",
            Model = new BetaManagedAgentsModelConfigParams { ID = LucidServerFixture.Model, Effort = BetaManagedAgentsEffortLevel.Max },
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "effort" });
        server.Upstream.ReplyText("Thought it through.");

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Think hard." }] }],
        });
        await IdleAsync(client, session.ID);

        var request = server.Upstream.Requests.Last(r => r.Body.Contains("Think hard.", StringComparison.Ordinal));
        Assert.Equal("max", request.Json?["output_config"]?["effort"]?.GetValue<string>());
        Assert.Equal("adaptive", request.Json?["thinking"]?["type"]?.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task IdleAsync(Anthropic.AnthropicClient client, string sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(sessionId, new EventStreamParams(), timeout.Token))
        {
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                return;
            }
        }
    }
}
