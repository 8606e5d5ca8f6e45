using System.Net.ServerSentEvents;
using System.Text.Json;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class StreamConformanceTests(LucidServerFixture server)
{
    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private async Task<List<SseItem<string>>> ReadAsync(string sessionId, string? lastEventId, Func<List<SseItem<string>>, bool> enough)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("x-api-key", server.AlphaKey);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
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

        // Leaving here disposes the response: the client disconnects mid-stream.
        return received;
    }

    [Fact]
    public async Task A_client_that_disconnects_and_reconnects_with_last_event_id_misses_nothing_and_sees_nothing_twice()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "streamer", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        server.Upstream.ReplyText("one").ReplyText("two");
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, InitialEvents = [Message("first")] });

        var before = await ReadAsync(session.ID, null, r => r.Count == 4);
        await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("second")] });
        var after = await ReadAsync(session.ID, before[^1].EventId, r => r.Count(e => e.EventType == "session.status_idle") == 2);

        var list = await client.Beta.Sessions.Events.List(session.ID, new EventListParams { Limit = 100 });
        var expected = list.Items.Select(e => e.Json.GetProperty("id").GetString()).ToList();
        var received = before.Concat(after).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Equal(expected, received);
        Assert.Equal(14, received.Count);
        Assert.All(before.Concat(after), e => Assert.Equal(JsonDocument.Parse(e.Data).RootElement.GetProperty("type").GetString(), e.EventType));
        Assert.Equal(Enumerable.Range(1, 14).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), before.Concat(after).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_stream_opened_before_anything_happened_answers_at_once_and_follows_the_first_turn_live()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "streamer", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID });
        server.Upstream.ReplyText("live");
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{session.ID}/events/stream");
        request.Headers.Add("x-api-key", server.AlphaKey);
        // Well under the 15 s keep-alive: the response must start although the session has no event yet.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("go")] });
        var types = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(guard.Token)).EnumerateAsync(guard.Token))
        {
            types.Add(item.EventType);
            if (item.EventType == "session.status_idle")
            {
                break;
            }
        }

        Assert.Equal(["ping", "user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"], types);
    }

    [Fact]
    public async Task The_sdk_stream_replays_the_log_so_a_reconnecting_sdk_client_can_merge_by_event_id()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "streamer", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        server.Upstream.ReplyText("one");
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, InitialEvents = [Message("first")] });

        var firstConnection = new List<string>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID))
        {
            firstConnection.Add(e.Json.GetProperty("id").GetString() ?? "");
            if (firstConnection.Count == 3)
            {
                break;
            }
        }

        var secondConnection = new List<string>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID))
        {
            secondConnection.Add(e.Json.GetProperty("id").GetString() ?? "");
            if (e.Json.GetProperty("type").GetString() == "session.status_idle")
            {
                break;
            }
        }

        var list = await client.Beta.Sessions.Events.List(session.ID);
        Assert.Equal(list.Items.Select(e => e.Json.GetProperty("id").GetString()), firstConnection.Union(secondConnection));
    }
}
