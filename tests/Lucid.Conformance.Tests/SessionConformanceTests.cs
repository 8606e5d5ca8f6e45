using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class SessionConformanceTests(LucidServerFixture server)
{
    private async Task<(string AgentId, string EnvironmentId)> AgentAndEnvironmentAsync(Anthropic.AnthropicClient client)
    {
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "worker", Model = LucidServerFixture.ModelParam, System = "Answer briefly." });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        environment.Validate();
        return (agent.ID, environment.ID);
    }

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private static async Task<List<BetaManagedAgentsStreamSessionEvents>> StreamUntilIdleAsync(Anthropic.AnthropicClient client, string sessionId, int idles = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(sessionId, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            events.Add(e);
            if (TypeOf(e) == "session.status_idle" && --idles == 0)
            {
                return events;
            }
        }

        throw new InvalidOperationException("The stream ended before the session went idle.");
    }

    private static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    [Fact]
    public async Task A_session_runs_its_initial_message_streams_to_idle_and_lists_its_events_in_order()
    {
        var client = server.Alpha;
        var (agentId, environmentId) = await AgentAndEnvironmentAsync(client);
        server.Upstream.ReplyText("Hello from the fake model.", inputTokens: 21, outputTokens: 4);

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agentId,
            EnvironmentID = environmentId,
            Title = "conformance",
            Metadata = new Dictionary<string, string> { ["run"] = "1" },
            InitialEvents = [Message("Say hello.")],
        });
        var streamed = await StreamUntilIdleAsync(client, session.ID);
        var listed = await client.Beta.Sessions.Events.List(session.ID);
        var retrieved = await client.Beta.Sessions.Retrieve(session.ID);

        session.Validate();
        retrieved.Validate();
        Assert.StartsWith("sesn_", session.ID, StringComparison.Ordinal);
        Assert.Equal(agentId, session.Agent.ID);
        Assert.Equal(1, session.Agent.Version);
        string[] expected = ["user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"];
        Assert.Equal(expected, streamed.Select(TypeOf));
        Assert.Equal(expected, listed.Items.Select(e => e.Json.GetProperty("type").GetString()));
        Assert.Equal(streamed.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Select(e => e.Json.GetProperty("id").GetString()));
        Assert.Equal("Hello from the fake model.", listed.Items[4].Json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("idle", retrieved.Status.Raw());
        Assert.Equal(21, retrieved.Usage.InputTokens);
        Assert.Equal(4, retrieved.Usage.OutputTokens);
        Assert.Contains("Say hello.", server.Upstream.Requests[^1].Body, StringComparison.Ordinal);
        Assert.Contains("Answer briefly.", server.Upstream.Requests[^1].Body, StringComparison.Ordinal);

        // A second message is a second turn on the same history.
        server.Upstream.ReplyText("Second answer.");
        var sent = await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("And again?")] });
        sent.Validate();
        var second = await StreamUntilIdleAsync(client, session.ID, idles: 2);
        Assert.Equal("Second answer.", second.Where(e => TypeOf(e) == "agent.message").Last().Json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Contains("Hello from the fake model.", server.Upstream.Requests[^1].Body, StringComparison.Ordinal);
        var agentOnly = await client.Beta.Sessions.Events.List(session.ID, new EventListParams { Types = ["agent.message"] });
        Assert.Equal(2, agentOnly.Items.Count);
    }

    [Fact]
    public async Task An_interrupt_stops_a_running_turn_and_the_session_goes_idle()
    {
        var client = server.Alpha;
        var (agentId, environmentId) = await AgentAndEnvironmentAsync(client);
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Upstream.Then(async (_, response) =>
        {
            requested.TrySetResult();
            await release.Task.WaitAsync(response.HttpContext.RequestAborted);
        });

        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId, InitialEvents = [Message("Think for a long time.")] });
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var running = await client.Beta.Sessions.Retrieve(session.ID);
        await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [new BetaManagedAgentsUserInterruptEventParams()] });
        var events = await StreamUntilIdleAsync(client, session.ID);
        release.TrySetResult();

        Assert.Equal("running", running.Status.Raw());
        Assert.Contains(events, e => TypeOf(e) == "user.interrupt");
        Assert.DoesNotContain(events, e => TypeOf(e) == "agent.message");
        Assert.True(events.Single(e => TypeOf(e) == "span.model_request_end").Json.GetProperty("is_error").GetBoolean());
        Assert.Equal("idle", (await client.Beta.Sessions.Retrieve(session.ID)).Status.Raw());
    }

    [Fact]
    public async Task Sessions_update_archive_list_and_delete()
    {
        var client = server.Alpha;
        var (agentId, environmentId) = await AgentAndEnvironmentAsync(client);
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agentId, EnvironmentID = environmentId, Title = "before" });

        var updated = await client.Beta.Sessions.Update(session.ID, new SessionUpdateParams { Title = "after", Metadata = new Dictionary<string, string?> { ["k"] = "v" } });
        var archived = await client.Beta.Sessions.Archive(session.ID);
        var visible = await client.Beta.Sessions.List(new SessionListParams { AgentID = agentId });
        var all = await client.Beta.Sessions.List(new SessionListParams { AgentID = agentId, IncludeArchived = true });
        var deleted = await client.Beta.Sessions.Delete(session.ID);

        Assert.Equal("after", updated.Title);
        Assert.Equal("v", updated.Metadata["k"]);
        Assert.NotNull(archived.ArchivedAt);
        Assert.DoesNotContain(visible.Items, s => s.ID == session.ID);
        Assert.Contains(all.Items, s => s.ID == session.ID);
        Assert.Equal(session.ID, deleted.ID);
        deleted.Validate();
        await Assert.ThrowsAsync<Anthropic.Exceptions.AnthropicNotFoundException>(() => client.Beta.Sessions.Retrieve(session.ID));
        await Assert.ThrowsAsync<Anthropic.Exceptions.AnthropicNotFoundException>(async () =>
        {
            // Refused at once; the token only keeps a stream wrongly opened from waiting forever.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await foreach (var _ in client.Beta.Sessions.Events.StreamStreaming(session.ID, new(), guard.Token))
            {
            }
        });
    }

    [Fact]
    public async Task Environments_update_list_and_archive()
    {
        var client = server.Alpha;
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "staging", Metadata = new Dictionary<string, string> { ["tier"] = "2" } });

        var updated = await client.Beta.Environments.Update(environment.ID, new EnvironmentUpdateParams { Name = "staging-2" });
        var listed = await client.Beta.Environments.List(new EnvironmentListParams { Limit = 100 });
        var archived = await client.Beta.Environments.Archive(environment.ID);

        Assert.Equal("staging-2", updated.Name);
        Assert.Equal("2", updated.Metadata["tier"]);
        Assert.Contains(listed.Items, e => e.ID == environment.ID);
        Assert.NotNull(archived.ArchivedAt);
        updated.Validate();
    }
}
