using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Sessions.Threads;
using ThreadEvents = Anthropic.Models.Beta.Sessions.Threads.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class ThreadConformanceTests(LucidServerFixture server)
{
    private static string TypeOf(System.Text.Json.JsonElement json) => json.GetProperty("type").GetString() ?? "";

    private static int ToolResults(string body) => body.Split("\"tool_result\"").Length - 1;

    [Fact]
    public async Task A_lead_agent_with_multiagent_runs_a_thread_whose_events_and_statuses_the_sdk_reads()
    {
        var client = server.Alpha;
        var researcher = await client.Beta.Agents.Create(new AgentCreateParams { Name = "researcher", Model = LucidServerFixture.ModelParam, System = "You research." });
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            System = "You lead.",
            Multiagent = new BetaManagedAgentsMultiagent20261001Params
            {
                Subagents = new BetaManagedAgentsMultiagentSubagentsEnabledParams
                {
                    PredefinedAgents = [researcher.ID],
                    InlineAgents = new BetaManagedAgentsMultiagentInlineAgentsDisabledParams(),
                },
            },
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });

        Assert.NotNull(lead.Multiagent);
        Assert.True(lead.Multiagent.TryPickMultiagent20261001(out var multiagent));
        Assert.True(multiagent.Subagents.TryPickEnabled(out var subagents));
        var reference = Assert.Single(subagents.PredefinedAgents);
        Assert.Equal((researcher.ID, 1), (reference.ID, reference.Version));
        Assert.True(subagents.InlineAgents.TryPickDisabled(out _));

        // The lead and its thread share the fake upstream, so each reply is chosen by whose request it is.
        for (var i = 0; i < 4; i++)
        {
            server.Upstream.ReplyBy(request => request.Body.Contains("You research.", StringComparison.Ordinal)
                ? ("The answer is 42.", null, null)
                : ToolResults(request.Body) switch
                {
                    0 => (null, "start_thread", new { agent = "researcher", task = "Find the answer." }),
                    1 => (null, "wait_for_threads", new { }),
                    _ => ("The researcher says 42.", null, null),
                });
        }

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = lead.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "What is the answer?" }] }],
        });
        Assert.NotNull(session.Agent.Multiagent);
        Assert.True(session.Agent.Multiagent.TryPickMultiagent20261001(out var sessionMultiagent));
        Assert.True(sessionMultiagent.Subagents.TryPickEnabled(out var sessionSubagents));
        Assert.Equal("You research.", Assert.Single(sessionSubagents.PredefinedAgents).System);

        var primary = new List<BetaManagedAgentsStreamSessionEvents>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new Anthropic.Models.Beta.Sessions.Events.EventStreamParams(), timeout.Token))
            {
                e.Validate();
                primary.Add(e);
                if (TypeOf(e.Json) == "session.status_idle")
                {
                    break;
                }
            }
        }

        var types = primary.Select(e => TypeOf(e.Json)).ToList();
        Assert.Contains("session.thread_created", types);
        Assert.Contains("agent.thread_message_sent", types);
        Assert.Contains("session.thread_status_running", types);
        Assert.Contains("session.thread_status_idle", types);
        Assert.True(primary.Single(e => TypeOf(e.Json) == "session.thread_created").TryPickSessionThreadCreatedEvent(out var created));
        Assert.Equal("researcher", created.AgentName);
        Assert.True(primary.Single(e => TypeOf(e.Json) == "session.thread_status_idle").TryPickSessionThreadStatusIdleEvent(out var idle));
        Assert.Equal(created.SessionThreadID, idle.SessionThreadID);
        Assert.Equal("end_turn", idle.StopReason.Json.GetProperty("type").GetString());
        var answer = primary.Where(e => TypeOf(e.Json) == "agent.tool_result").Last().Json.GetRawText();
        Assert.Contains("The answer is 42.", answer, StringComparison.Ordinal);

        var threads = await client.Beta.Sessions.Threads.List(session.ID);
        Assert.Equal(2, threads.Items.Count);
        var (root, child) = (threads.Items[0], threads.Items[1]);
        Assert.Null(root.ParentThreadID);
        Assert.Equal(root.ID, child.ParentThreadID);
        Assert.Equal(created.SessionThreadID, child.ID);
        Assert.Equal("idle", child.Status.Json.GetString());
        Assert.Equal("researcher", child.Agent.Json.GetProperty("name").GetString());
        Assert.NotNull(child.Usage);
        Assert.Equal(12, child.Usage.InputTokens);
        // Both threads have run, so both have stats; a child starts at once.
        Assert.Equal(0, child.Stats?.StartupSeconds);
        Assert.True(child.Stats?.DurationSeconds >= child.Stats?.ActiveSeconds);
        Assert.True(root.Stats?.ActiveSeconds >= 0);
        var sessionStats = (await client.Beta.Sessions.Retrieve(session.ID)).Stats;
        Assert.True(sessionStats.ActiveSeconds >= child.Stats?.ActiveSeconds);
        var retrieved = await client.Beta.Sessions.Threads.Retrieve(child.ID, new ThreadRetrieveParams { SessionID = session.ID });
        Assert.Equal(child.ID, retrieved.ID);

        var threadEvents = new List<BetaManagedAgentsStreamSessionThreadEvents>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await foreach (var e in client.Beta.Sessions.Threads.Events.StreamStreaming(child.ID, new ThreadEvents.EventStreamParams { SessionID = session.ID }, timeout.Token))
            {
                e.Validate();
                threadEvents.Add(e);
                if (TypeOf(e.Json) == "session.thread_status_idle")
                {
                    break;
                }
            }
        }

        Assert.Equal(
            ["agent.thread_message_received", "session.thread_status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.thread_status_idle"],
            threadEvents.Select(e => TypeOf(e.Json)));
        Assert.True(threadEvents[0].TryPickAgentThreadMessageReceivedEvent(out var received));
        Assert.Equal(root.ID, received.FromSessionThreadID);
        var listed = await client.Beta.Sessions.Threads.Events.List(child.ID, new ThreadEvents.EventListParams { SessionID = session.ID });
        Assert.Equal(threadEvents.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Select(e => e.Json.GetProperty("id").GetString()));

        var archived = await client.Beta.Sessions.Threads.Archive(child.ID, new ThreadArchiveParams { SessionID = session.ID });
        Assert.NotNull(archived.ArchivedAt);
        var after = await client.Beta.Sessions.Retrieve(session.ID);
        Assert.Equal((3 * 12) + 12, after.Usage.InputTokens);
    }

    [Fact]
    public async Task Multiagent_is_validated_merged_on_update_and_threads_of_another_workspace_are_404()
    {
        var client = server.Alpha;
        var helper = await client.Beta.Agents.Create(new AgentCreateParams { Name = "helper", Model = LucidServerFixture.ModelParam });
        BetaManagedAgentsMultiagent20261001Params Roster(IReadOnlyList<BetaManagedAgentsMultiagentPredefinedAgentParams> agents, bool inline) => new()
        {
            Subagents = new BetaManagedAgentsMultiagentSubagentsEnabledParams
            {
                PredefinedAgents = agents,
                InlineAgents = inline ? new BetaManagedAgentsMultiagentInlineAgentsEnabledParams() : new BetaManagedAgentsMultiagentInlineAgentsDisabledParams(),
            },
        };

        var missing = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            Multiagent = Roster(["agent_doesnotexist"], inline: true),
        }));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            Multiagent = Roster([], inline: false),
        }));
        Assert.Contains("at least one agent", empty.Message, StringComparison.Ordinal);

        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = LucidServerFixture.ModelParam,
            Multiagent = Roster([helper.ID, new BetaManagedAgentsMultiagentSelfParams()], inline: false),
        });
        Assert.NotNull(lead.Multiagent);
        Assert.True(lead.Multiagent.TryPickMultiagent20261001(out var created));
        Assert.True(created.Subagents.TryPickEnabled(out var roster));
        Assert.Equal([(helper.ID, 1), (lead.ID, 1)], roster.PredefinedAgents.Select(a => (a.ID, a.Version)));

        // An update that leaves multiagent out keeps it; self follows the new version.
        var renamed = await client.Beta.Agents.Update(lead.ID, new AgentUpdateParams { Version = 1, System = "Lead well." });
        Assert.NotNull(renamed.Multiagent);
        Assert.True(renamed.Multiagent.TryPickMultiagent20261001(out var kept));
        Assert.True(kept.Subagents.TryPickEnabled(out var keptRoster));
        Assert.Equal([(helper.ID, 1), (lead.ID, 2)], keptRoster.PredefinedAgents.Select(a => (a.ID, a.Version)));
        Assert.True(keptRoster.InlineAgents.TryPickDisabled(out _));

        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = lead.ID, EnvironmentID = environment.ID });
        var threads = await client.Beta.Sessions.Threads.List(session.ID);
        var primary = Assert.Single(threads.Items);
        Assert.Equal("idle", primary.Status.Json.GetString());
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => server.Beta.Beta.Sessions.Threads.List(session.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Beta.Sessions.Threads.Retrieve("sthr_nothere", new ThreadRetrieveParams { SessionID = session.ID }));
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Sessions.Threads.Archive(primary.ID, new ThreadArchiveParams { SessionID = session.ID }));

        // An interrupt may name a thread of the session; one that names no such thread is refused, naming the field.
        var stranger = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Sessions.Events.Send(
            session.ID, new EventSendParams { Events = [new BetaManagedAgentsUserInterruptEventParams { SessionThreadID = "sthr_nothere" }] }));
        Assert.Contains("session_thread_id", stranger.Message, StringComparison.Ordinal);
        var sent = await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [new BetaManagedAgentsUserInterruptEventParams { SessionThreadID = primary.ID }] });
        sent.Validate();
    }
}
