using System.Net.ServerSentEvents;
using System.Text.Json;
using Anthropic.Helpers;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Sessions.Threads;
using Lucid.Testing.Models;
using ThreadEvents = Anthropic.Models.Beta.Sessions.Threads.Events;

namespace Lucid.Conformance.Tests;

/// <summary>
/// <c>event_deltas</c>: a stream that asks for them previews each <c>agent.message</c> while the model produces it. The
/// scripted model streams its reply a word at a time, but holds before the first word until the test's streams have
/// subscribed (they have when they yield their first event), so the message is previewed to them.
/// </summary>
[Collection(ServerTestGroup.Name)]
public sealed class DeltaConformanceTests(LucidServerFixture server)
{
    private const string Text = "The quick brown fox jumps over the lazy dog.";

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private static string TypeOf(JsonElement json) => json.GetProperty("type").GetString() ?? "";

    // A model whose reply holds before its first word until released; paused completes when it holds.
    private (string Model, TaskCompletionSource Paused, TaskCompletionSource Release) HeldModel(ScriptedChatClient? client = null, string text = Text)
    {
        var model = $"scripted/streamer-{Guid.NewGuid():N}";
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Scripted.With(model, (client ?? new ScriptedChatClient()).StreamReply(text, async (chunk, ct) =>
        {
            if (chunk == 0)
            {
                paused.TrySetResult();
                await release.Task.WaitAsync(ct);
            }
        }));
        return (model, paused, release);
    }

    private async Task<string> SessionAsync(string model, string? message)
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "streamer", Model = new BetaManagedAgentsModelConfigParams { ID = model } });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = message is null ? null : [Message(message)],
        });
        return session.ID;
    }

    [Fact]
    public async Task A_stream_with_event_deltas_previews_the_message_in_deltas_that_concatenate_to_its_text()
    {
        var (model, paused, release) = HeldModel();
        var sessionId = await SessionAsync(model, "Tell me about the fox.");
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var aggregator = new BetaManagedAgentsEventAggregator();
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in server.Alpha.Beta.Sessions.Events.StreamStreaming(
            sessionId, new EventStreamParams { EventDeltas = [BetaManagedAgentsDeltaType.AgentMessage] }, timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            aggregator.Aggregate(e);
            release.TrySetResult();

            if (TypeOf(e.Json) == "session.status_idle")
            {
                break;
            }
        }

        var start = Assert.Single(streamed.Select(e => e.TryPickStartEvent(out var s) ? s : null).OfType<BetaManagedAgentsStartEvent>());
        Assert.True(start.Event.TryPickAgentMessage(out var preview));
        var deltas = streamed.Select(e => e.TryPickDeltaEvent(out var d) ? d : null).OfType<BetaManagedAgentsDeltaEvent>().ToList();
        Assert.True(deltas.Count > 1, $"Expected the text in several deltas, got {deltas.Count}.");
        Assert.All(deltas, d => Assert.Equal((preview.ID, 0L), (d.EventID, d.Delta.Index ?? -1)));
        var message = Assert.Single(streamed.Select(e => e.TryPickAgentMessageEvent(out var m) ? m : null).OfType<BetaManagedAgentsAgentMessageEvent>());
        Assert.Equal(preview.ID, message.ID);
        Assert.Equal(Text, string.Concat(deltas.Select(d => d.Delta.Content.Text)));
        Assert.Equal(Text, aggregator.GetAgentMessageText(message.ID));
        Assert.Equal(Text, string.Concat(message.Content.Select(b => b.Json.GetProperty("text").GetString())));
        // Every delta comes before the message it previews.
        var types = streamed.Select(e => TypeOf(e.Json)).ToList();
        Assert.True(types.LastIndexOf("event_delta") < types.IndexOf("agent.message"));

        // The log holds the committed events only, the message under the ID its preview announced.
        var listed = await server.Alpha.Beta.Sessions.Events.List(sessionId, new EventListParams { Limit = 100 });
        Assert.DoesNotContain(listed.Items, e => TypeOf(e.Json) is "event_start" or "event_delta");
        Assert.Equal(preview.ID, Assert.Single(listed.Items, e => TypeOf(e.Json) == "agent.message").Json.GetProperty("id").GetString());
        Assert.Equal(listed.Items.Select(e => e.Json.GetProperty("id").GetString()), streamed.Where(e => TypeOf(e.Json) is not ("event_start" or "event_delta")).Select(e => e.Json.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_stream_without_event_deltas_is_unchanged_while_another_one_gets_deltas()
    {
        var (model, paused, release) = HeldModel();
        var sessionId = await SessionAsync(model, "Tell me about the fox.");
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The model is released once both streams have subscribed: each has yielded an event.
        var plainSubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previewedSubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.WhenAll(plainSubscribed.Task, previewedSubscribed.Task).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);

        var plain = UntilIdleAsync(sessionId, new EventStreamParams(), () => plainSubscribed.TrySetResult());
        var previewed = UntilIdleAsync(sessionId, new EventStreamParams { EventDeltas = [BetaManagedAgentsDeltaType.AgentMessage] }, () => previewedSubscribed.TrySetResult());
        Assert.Contains("event_delta", (await previewed).Select(e => TypeOf(e.Json)));
        var listed = await server.Alpha.Beta.Sessions.Events.List(sessionId, new EventListParams { Limit = 100 });
        Assert.Equal(listed.Items.Select(e => e.Json.GetRawText()), (await plain).Select(e => e.Json.GetRawText()));
    }

    [Fact]
    public async Task Delta_frames_carry_no_id_and_a_client_that_reconnects_with_last_event_id_gets_the_committed_events_only()
    {
        var script = new ScriptedChatClient();
        var (model, paused, release) = HeldModel(script);
        script.Reply("A second answer.");
        var sessionId = await SessionAsync(model, "Tell me about the fox.");
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // A second client follows all along, so the log's live state in the server outlives the first one's stream.
        using var stopFollower = new CancellationTokenSource();
        var followerSubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follower = ReadAsync(sessionId, null, _ =>
        {
            followerSubscribed.TrySetResult();
            return false;
        },
            deltas: false, stopFollower.Token);
        await followerSubscribed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var live = await ReadAsync(sessionId, null, received =>
        {
            release.TrySetResult();
            return received[^1].EventType == "session.status_idle";
        });
        var previews = live.Where(f => f.EventType is "event_start" or "event_delta").ToList();
        Assert.NotEmpty(previews);
        Assert.All(previews, f => Assert.Null(f.EventId));
        Assert.All(live, f => Assert.Equal(TypeOf(JsonDocument.Parse(f.Data).RootElement), f.EventType));

        // Reconnecting after the first committed event, with deltas asked for: the rest of the log, and no preview of
        // what it already holds, before the next turn's own.
        var committed = live.Where(f => f.EventId is not null).ToList();
        var resumed = await ReadAsync(sessionId, committed[0].EventId, received =>
        {
            if (received.Count == committed.Count - 1)
            {
                _ = server.Alpha.Beta.Sessions.Events.Send(sessionId, new EventSendParams { Events = [Message("Again.")] });
            }

            return received.Count(f => f.EventType == "session.status_idle") == 2;
        });
        Assert.Equal(committed.Skip(1).Select(f => (f.EventId, f.Data)), resumed.Take(committed.Count - 1).Select(f => (f.EventId, f.Data)));
        var firstMessage = JsonDocument.Parse(committed.Single(f => f.EventType == "agent.message").Data).RootElement.GetProperty("id").GetString();
        Assert.DoesNotContain(resumed, f => f.EventType is "event_start" or "event_delta" && f.Data.Contains(firstMessage ?? "", StringComparison.Ordinal));
        Assert.Contains(resumed, f => f.EventType == "event_delta");
        await stopFollower.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follower);
    }

    [Fact]
    public async Task A_thread_stream_with_event_deltas_previews_the_threads_message()
    {
        var client = server.Alpha;
        var (researcherModel, paused, release) = HeldModel(text: "The answer is forty-two.");
        var leadModel = $"scripted/lead-{Guid.NewGuid():N}";
        server.Scripted.With(leadModel, new ScriptedChatClient()
            .CallTool("start_thread", new { agent = "researcher", task = "Find the answer." })
            .CallTool("wait_for_threads", new { })
            .Reply("The researcher says 42."));
        var researcher = await client.Beta.Agents.Create(new AgentCreateParams { Name = "researcher", Model = new BetaManagedAgentsModelConfigParams { ID = researcherModel } });
        var lead = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "lead",
            Model = new BetaManagedAgentsModelConfigParams { ID = leadModel },
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
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = lead.ID, EnvironmentID = environment.ID, InitialEvents = [Message("What is the answer?")] });
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var threads = await client.Beta.Sessions.Threads.List(session.ID);
        var child = Assert.Single(threads.Items, t => t.ParentThreadID is not null);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionThreadEvents>();
        await foreach (var e in client.Beta.Sessions.Threads.Events.StreamStreaming(
            child.ID, new ThreadEvents.EventStreamParams { SessionID = session.ID, EventDeltas = [BetaManagedAgentsDeltaType.AgentMessage] }, timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            release.TrySetResult();
            if (TypeOf(e.Json) == "agent.message")
            {
                break;
            }
        }

        var start = Assert.Single(streamed.Select(e => e.TryPickStartEvent(out var s) ? s : null).OfType<BetaManagedAgentsStartEvent>());
        var deltas = streamed.Select(e => e.TryPickDeltaEvent(out var d) ? d : null).OfType<BetaManagedAgentsDeltaEvent>().ToList();
        Assert.True(deltas.Count > 1);
        Assert.Equal("The answer is forty-two.", string.Concat(deltas.Select(d => d.Delta.Content.Text)));
        Assert.Equal(start.Event.ID, streamed[^1].Json.GetProperty("id").GetString());
        Assert.Equal("The answer is forty-two.", streamed[^1].Json.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_unknown_event_deltas_type_is_a_400_naming_the_parameter()
    {
        var sessionId = await SessionAsync($"scripted/unused-{Guid.NewGuid():N}", null);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream?event_deltas[]=agent.tool_use");
        request.Headers.Add("x-api-key", server.AlphaKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("event_deltas", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // A session's stream through the SDK up to its first idle, each event validated; onEvent runs after each one.
    private async Task<List<BetaManagedAgentsStreamSessionEvents>> UntilIdleAsync(string sessionId, EventStreamParams parameters, Action onEvent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in server.Alpha.Beta.Sessions.Events.StreamStreaming(sessionId, parameters, timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            onEvent();
            if (TypeOf(e.Json) == "session.status_idle")
            {
                break;
            }
        }

        return streamed;
    }

    private async Task<List<SseItem<string>>> ReadAsync(
        string sessionId, string? lastEventId, Func<List<SseItem<string>>, bool> enough, bool deltas = true, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream?beta=true{(deltas ? "&event_deltas[]=agent.message" : "")}");
        request.Headers.Add("x-api-key", server.AlphaKey);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var received = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            received.Add(item);
            if (enough(received))
            {
                break;
            }
        }

        return received;
    }
}
