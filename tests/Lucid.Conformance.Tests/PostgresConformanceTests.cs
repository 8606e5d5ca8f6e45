using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Storage.Postgres;

namespace Lucid.Conformance.Tests;

/// <summary>The official SDK against a server whose store is PostgreSQL: a session runs, streams and lists as it does on SQLite.</summary>
[Collection(PostgresServerTestGroup.Name)]
public sealed class PostgresConformanceTests(PostgresServerFixture server)
{
    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    [Fact]
    public async Task A_session_on_PostgreSQL_runs_two_turns_streams_to_idle_and_lists_its_events_in_order()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "worker", Model = LucidServerFixture.ModelParam, System = "Answer briefly." });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        server.Upstream.ReplyText("Hello from the fake model.", inputTokens: 21, outputTokens: 4);

        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Title = "on postgres",
            InitialEvents = [Message("Say hello.")],
        });
        var streamed = await StreamUntilIdleAsync(client, session.ID, idles: 1);
        server.Upstream.ReplyText("Second answer.");
        await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("And again?")] });
        await StreamUntilIdleAsync(client, session.ID, idles: 2);
        var listed = await client.Beta.Sessions.Events.List(session.ID);
        var retrieved = await client.Beta.Sessions.Retrieve(session.ID);
        var found = await client.Beta.Sessions.List(new SessionListParams { AgentID = agent.ID });

        string[] turn = ["session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"];
        Assert.Equal(["user.message", .. turn], streamed.Select(TypeOf));
        Assert.Equal(["user.message", .. turn, "user.message", .. turn], listed.Items.Select(e => e.Json.GetProperty("type").GetString()));
        Assert.Equal(streamed.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Take(streamed.Count).Select(e => e.Json.GetProperty("id").GetString()));
        Assert.Equal("Second answer.", listed.Items[^3].Json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("idle", retrieved.Status.Raw());
        Assert.Equal("on postgres", retrieved.Title);
        Assert.Contains("Hello from the fake model.", server.Upstream.Requests[^1].Body, StringComparison.Ordinal);
        Assert.Equal(session.ID, Assert.Single(found.Items).ID);

        // What the API served is what the database holds: another store on it reads the same log.
        await using var other = await PostgresStore.OpenAsync(server.Database, CancellationToken.None);
        var log = await other.ReadAsync(session.ID, 0, 100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, listed.Items.Count).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Equal(listed.Items.Select(e => e.Json.GetProperty("id").GetString()), log.Select(e => e.Event.Id));
    }

    private static async Task<List<BetaManagedAgentsStreamSessionEvents>> StreamUntilIdleAsync(Anthropic.AnthropicClient client, string sessionId, int idles)
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
}
