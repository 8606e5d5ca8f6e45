using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;
using static Lucid.Conformance.Tests.SessionStreams;

namespace Lucid.Conformance.Tests;

/// <summary>The <c>coordinator</c> topology and the <c>advisor</c> of <c>multiagent_20261001</c>, through the official SDK.</summary>
[Collection(ServerTestGroup.Name)]
public sealed class MultiagentConformanceTests(LucidServerFixture server)
{
    private async Task<(HttpStatusCode Status, JsonElement Error)> PostAsync(string path, string body)
    {
        using var http = server.Http(server.AlphaKey);
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.TryGetProperty("error", out var error) ? error.Clone() : default);
    }

    private static string FieldOf(JsonElement error) => error.ValueKind == JsonValueKind.Object && error.TryGetProperty("field", out var field) ? field.GetString() ?? "" : "";

    [Fact]
    public async Task A_coordinator_resolves_its_roster_shows_full_definitions_on_a_session_and_is_replaced_on_update()
    {
        var client = server.Alpha;
        var helper = await client.Beta.Agents.Create(new AgentCreateParams { Name = "helper", Model = LucidServerFixture.ModelParam, System = "You help." });
        var coordinator = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "coordinator",
            Model = LucidServerFixture.ModelParam,
            Multiagent = new BetaManagedAgentsMultiagentCoordinatorParams
            {
                Agents = [helper.ID, new BetaManagedAgentsAdvisorParams(LucidServerFixture.Model), new BetaManagedAgentsMultiagentSelfParams()],
            },
        });

        Assert.NotNull(coordinator.Multiagent);
        Assert.True(coordinator.Multiagent.TryPickCoordinator(out var roster));
        Assert.Equal(3, roster.Agents.Count);
        Assert.True(roster.Agents[0].TryPickBetaManagedAgentsAgentReference(out var first));
        Assert.Equal((helper.ID, 1), (first.ID, first.Version));
        Assert.True(roster.Agents[1].TryPickBetaManagedAgentsAdvisor(out var advisor));
        Assert.Equal(LucidServerFixture.Model, advisor.Model);
        Assert.True(roster.Agents[2].TryPickBetaManagedAgentsAgentReference(out var self));
        Assert.Equal((coordinator.ID, 1), (self.ID, self.Version));
        var retrieved = await client.Beta.Agents.Retrieve(coordinator.ID);
        Assert.Equal(coordinator.Multiagent.Json.GetRawText(), retrieved.Multiagent?.Json.GetRawText());

        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = coordinator.ID, EnvironmentID = environment.ID });
        Assert.NotNull(session.Agent.Multiagent);
        Assert.True(session.Agent.Multiagent.TryPickCoordinator(out var sessionRoster));
        Assert.True(sessionRoster.Agents[0].TryPickBetaManagedAgentsSessionThread(out var helperDefinition));
        Assert.Equal("You help.", helperDefinition.System);
        Assert.True(sessionRoster.Agents[1].TryPickBetaManagedAgentsAdvisor(out _));

        // multiagent_20261001 sent over a stored coordinator replaces it: the keys it omits take their defaults.
        var replaced = await client.Beta.Agents.Update(coordinator.ID, new AgentUpdateParams
        {
            Version = 1,
            Multiagent = new BetaManagedAgentsMultiagent20261001Params { Subagents = new BetaManagedAgentsMultiagentSubagentsEnabledParams { PredefinedAgents = [helper.ID] } },
        });
        Assert.NotNull(replaced.Multiagent);
        Assert.True(replaced.Multiagent.TryPickMultiagent20261001(out var current));
        Assert.True(current.Advisor.TryPickDisabled(out _));
        Assert.True(current.Subagents.TryPickEnabled(out var subagents));
        Assert.True(subagents.InlineAgents.TryPickEnabled(out _));
    }

    [Fact]
    public async Task Bad_coordinators_are_400s_naming_the_entry()
    {
        var client = server.Alpha;
        var helper = await client.Beta.Agents.Create(new AgentCreateParams { Name = "helper", Model = LucidServerFixture.ModelParam });
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            Multiagent = new BetaManagedAgentsMultiagent20261001Params(),
        });

        foreach (var (agents, field) in new[]
        {
            ("[]", "multiagent.agents"),
            ($$"""[{"type": "advisor", "model": "{{LucidServerFixture.Model}}"}, "{{lead.ID}}"]""", "multiagent.agents[1]"),
            ($$"""["{{helper.ID}}", {"type": "agent", "id": "{{helper.ID}}", "version": 1}]""", "multiagent.agents[1]"),
            ("""[{"type": "self"}, {"type": "self"}]""", "multiagent.agents[1]"),
            ($$"""[{"type": "advisor", "model": "{{LucidServerFixture.Model}}"}, {"type": "advisor", "model": "{{LucidServerFixture.Model}}"}]""", "multiagent.agents[1]"),
            ("""[{"type": "advisor"}]""", "multiagent.agents[0].model"),
            ("""[{"type": "advisor", "model": "nowhere/model"}]""", "multiagent.agents[0].model"),
            ("""["agent_doesnotexist"]""", "multiagent.agents[0]"),
        })
        {
            var (status, error) = await PostAsync("/v1/agents", $$$"""{"name": "c", "model": "{{{LucidServerFixture.Model}}}", "multiagent": {"type": "coordinator", "agents": {{{agents}}}}}""");
            Assert.True(status == HttpStatusCode.BadRequest, agents);
            Assert.Equal(field, FieldOf(error));
        }

        var depth = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "c",
            Model = LucidServerFixture.ModelParam,
            Multiagent = new BetaManagedAgentsMultiagentCoordinatorParams { Agents = [lead.ID] },
        }));
        Assert.Contains("depth limit 1", depth.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_advisor_is_validated_and_merged_level_by_level_on_update()
    {
        var client = server.Alpha;
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            Multiagent = new BetaManagedAgentsMultiagent20261001Params { Advisor = new BetaManagedAgentsMultiagentAdvisorEnabledParams(LucidServerFixture.Model) },
        });
        Assert.NotNull(lead.Multiagent);
        Assert.True(lead.Multiagent.TryPickMultiagent20261001(out var created));
        Assert.True(created.Advisor.TryPickEnabled(out var enabled));
        Assert.Equal(LucidServerFixture.Model, enabled.Model);
        Assert.True(created.Workflows.TryPickDisabled(out _));

        // An update that omits the advisor keeps it; one that sends it disabled removes it; null takes its default (disabled).
        var kept = await client.Beta.Agents.Update(lead.ID, new AgentUpdateParams
        {
            Version = 1,
            Multiagent = new BetaManagedAgentsMultiagent20261001Params { Subagents = new BetaManagedAgentsMultiagentSubagentsDisabledParams() },
        });
        Assert.True(kept.Multiagent?.TryPickMultiagent20261001(out var keptConfig) == true && keptConfig.Advisor.TryPickEnabled(out _) && keptConfig.Subagents.TryPickDisabled(out _));
        var (status, _) = await PostAsync($"/v1/agents/{lead.ID}", """{"multiagent": {"type": "multiagent_20261001", "advisor": null}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var cleared = await client.Beta.Agents.Retrieve(lead.ID);
        Assert.True(cleared.Multiagent?.TryPickMultiagent20261001(out var clearedConfig) == true && clearedConfig.Advisor.TryPickDisabled(out _) && clearedConfig.Subagents.TryPickDisabled(out _));

        foreach (var (multiagent, field) in new[]
        {
            ("""{"type": "multiagent_20261001", "advisor": {"type": "enabled"}}""", "multiagent.advisor.model"),
            ("""{"type": "multiagent_20261001", "advisor": {"type": "enabled", "model": "nowhere/model"}}""", "multiagent.advisor.model"),
            ("""{"type": "multiagent_20261001", "advisor": {"type": "sometimes"}}""", "multiagent.advisor.type"),
            ("""{"type": "multiagent_20261001", "workflows": {"type": "enabled"}}""", "multiagent.workflows.type"),
        })
        {
            var (createStatus, error) = await PostAsync("/v1/agents", $$$"""{"name": "a", "model": "{{{LucidServerFixture.Model}}}", "multiagent": {{{multiagent}}}}""");
            Assert.Equal(HttpStatusCode.BadRequest, createStatus);
            Assert.Equal(field, FieldOf(error));
            var (updateStatus, updateError) = await PostAsync($"/v1/agents/{lead.ID}", $$$"""{"multiagent": {{{multiagent}}}}""");
            Assert.Equal(HttpStatusCode.BadRequest, updateStatus);
            Assert.Equal(field, FieldOf(updateError));
        }
    }

    [Fact]
    public async Task The_lead_consults_its_advisor_and_the_advice_and_its_usage_reach_the_session()
    {
        var client = server.Alpha;
        var advisorModel = new ScriptedChatClient { DefaultUsage = new() { InputTokenCount = 1_000, OutputTokenCount = 50 } };
        server.Scripted.With("scripted/conformance-advisor", advisorModel);
        advisorModel.Reply("Write the tests first.");
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "advised",
            Model = LucidServerFixture.ModelParam,
            System = "You are advised.",
            Multiagent = new BetaManagedAgentsMultiagent20261001Params
            {
                Subagents = new BetaManagedAgentsMultiagentSubagentsDisabledParams(),
                Advisor = new BetaManagedAgentsMultiagentAdvisorEnabledParams("scripted/conformance-advisor"),
            },
        });
        server.Upstream.ReplyBy(request => request.Body.Contains("You are advised.", StringComparison.Ordinal) && !request.Body.Contains("\"tool_result\"", StringComparison.Ordinal)
            ? (null, "advisor", new { question = "Where do I start?" })
            : ("Starting with the tests.", null, null));
        server.Upstream.ReplyBy(_ => ("Starting with the tests.", null, null));
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = lead.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Build the parser." }] }],
        });

        var streamed = await UntilIdleAsync(client, session.ID);

        var use = streamed.Single(e => TypeOf(e) == "agent.tool_use");
        Assert.Equal("advisor", use.Json.GetProperty("name").GetString());
        var result = streamed.Single(e => TypeOf(e) == "agent.tool_result");
        Assert.Contains("Write the tests first.", result.Json.GetRawText(), StringComparison.Ordinal);
        var consulted = Assert.Single(advisorModel.Requests);
        Assert.Contains("Build the parser.", consulted.Messages[^1].Text, StringComparison.Ordinal);

        // The lead's two requests at 12 input tokens each, and the advisor's 1,000.
        Assert.Equal(3, streamed.Count(e => TypeOf(e) == "span.model_request_end"));
        Assert.Equal((2 * 12) + 1_000, (await client.Beta.Sessions.Retrieve(session.ID)).Usage.InputTokens);
    }
}
