using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Conformance.Tests;

/// <summary><c>system.message</c> events, sent with a message and as a deployment's initial event, through the official SDK.</summary>
[Collection(ServerTestGroup.Name)]
public sealed class SystemMessageConformanceTests(LucidServerFixture server)
{
    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private static BetaManagedAgentsSystemMessageEventParams System(string text) => new() { Content = [new BetaManagedAgentsSystemContentBlock { Text = text }] };

    private async Task<(string AgentId, string EnvironmentId, ScriptedChatClient Script)> AgentAsync(int replies)
    {
        var model = $"scripted/system-{Guid.NewGuid():N}";
        var script = new ScriptedChatClient();
        for (var i = 0; i < replies; i++)
        {
            script.Reply("D'accord.");
        }

        server.Scripted.With(model, script);
        var agent = await server.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "polyglot", Model = new BetaManagedAgentsModelConfigParams { ID = model } });
        var environment = await server.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        return (agent.ID, environment.ID, script);
    }

    private async Task<List<BetaManagedAgentsStreamSessionEvents>> UntilIdleAsync(string sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in server.Alpha.Beta.Sessions.Events.StreamStreaming(sessionId, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                break;
            }
        }

        return streamed;
    }

    [Fact]
    public async Task A_system_message_sent_after_a_user_message_is_logged_and_reaches_the_model_as_a_system_turn()
    {
        var (agentId, environmentId, script) = await AgentAsync(replies: 1);
        var session = await server.Alpha.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId });

        var refused = await Assert.ThrowsAsync<AnthropicBadRequestException>(() =>
            server.Alpha.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [System("Answer in French."), Message("Hello.")] }));
        Assert.Contains("events[0]", refused.Message, StringComparison.Ordinal);
        await server.Alpha.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("Hello."), System("Answer in French.")] });
        var streamed = await UntilIdleAsync(session.ID);

        var system = streamed.Single(e => e.Json.GetProperty("type").GetString() == "system.message").Json;
        Assert.StartsWith("sevt_", system.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("Answer in French.", system.GetProperty("content")[0].GetProperty("text").GetString());
        var listed = await server.Alpha.Beta.Sessions.Events.List(session.ID, new EventListParams { Types = ["system.message"] });
        Assert.Single(listed.Items).Validate();
        var request = Assert.Single(script.Requests).Messages;
        Assert.Equal((ChatRole.System, "Answer in French."), (request[^1].Role, request[^1].Text));
        Assert.Equal(ChatRole.User, request[^2].Role);
    }

    [Fact]
    public async Task A_deployments_system_message_initial_event_reaches_each_session_it_starts()
    {
        var (agentId, environmentId, script) = await AgentAsync(replies: 1);
        var deployment = await server.Alpha.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "french report",
            Agent = agentId,
            EnvironmentID = environmentId,
            InitialEvents = [Message("Write the report."), System("Write it in French.")],
        });
        deployment.Validate();
        Assert.True(deployment.InitialEvents[1].TryPickSystemMessage(out var echoed));
        Assert.Equal("Write it in French.", echoed.Content[0].Text);

        var run = await server.Alpha.Beta.Deployments.Run(deployment.ID);
        Assert.NotNull(run.SessionID);
        await UntilIdleAsync(run.SessionID);

        var request = Assert.Single(script.Requests).Messages;
        Assert.Equal((ChatRole.System, "Write it in French."), (request[^1].Role, request[^1].Text));
    }
}
