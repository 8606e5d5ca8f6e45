using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Storage.Postgres;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;
using Npgsql;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Two servers on one PostgreSQL database: A runs a session, the official SDK follows it from B. B's regular catch-up is
/// off, so what B streams live reached it through <c>LISTEN</c>.
/// </summary>
public sealed class PostgresTwoServerStreamTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));
    private LucidTestServer? _runner;
    private LucidTestServer? _follower;

    private LucidTestServer Runner => _runner ?? throw new InvalidOperationException();

    private LucidTestServer Follower => _follower ?? throw new InvalidOperationException();

    private CancellationToken Token => _timeout.Token;

    public async Task InitializeAsync()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _runner = new LucidTestServer { Database = database };
        _follower = new LucidTestServer { Database = database, PostgresOptions = new PostgresStoreOptions { CatchUpInterval = Timeout.InfiniteTimeSpan } };
        await Runner.StartAsync();
        await Follower.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Follower.DisposeAsync();
        await Runner.DisposeAsync();
        _timeout.Dispose();
    }

    private static AnthropicClient Client(LucidTestServer server) =>
        new(new ClientOptions { ApiKey = server.AlphaKey, BaseUrl = server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    private static string IdOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("id").GetString() ?? "";

    [Fact]
    public async Task A_session_run_by_one_server_streams_from_the_other_in_order_once_across_a_dropped_listen_connection_and_resumes_there()
    {
        var runner = Client(Runner);
        var agent = await runner.Beta.Agents.Create(new AgentCreateParams { Name = "worker", Model = LucidServerFixture.ModelParam }, Token);
        var environment = await runner.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" }, Token);
        Runner.Upstream.ReplyText("one").ReplyText("two").ReplyText("three");
        var session = await runner.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, InitialEvents = [Message("first")] }, Token);

        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        var firstTurn = 0;
        await using (var stream = Client(Follower).Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), Token).GetAsyncEnumerator(Token))
        {
            await ReadUntilIdleAsync(stream, streamed);
            firstTurn = streamed.Count;
            // The follower waits at the idle: the second turn reaches it live.
            await runner.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("second")] }, Token);
            await ReadUntilIdleAsync(stream, streamed);
            // Both servers' LISTEN connections are ended; the follower's is opened again and its stream goes on.
            Assert.Equal(2, await TerminateListenersAsync(Runner.Database ?? ""));
            await runner.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("third")] }, Token);
            await ReadUntilIdleAsync(stream, streamed);
        }

        var resumed = await ResumeAsync(session.ID, firstTurn, idles: 2);
        var listed = await runner.Beta.Sessions.Events.List(session.ID, new EventListParams { Limit = 100 }, Token);
        var expected = listed.Items.Select(e => e.Json.GetProperty("id").GetString()).ToList();

        Assert.Equal(21, expected.Count);
        Assert.Equal(expected, streamed.Select(IdOf));
        Assert.Equal(3, streamed.Count(e => TypeOf(e) == "session.status_idle"));
        Assert.Equal(expected.Skip(firstTurn), resumed.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Range(firstTurn + 1, expected.Count - firstTurn).Select(i => i.ToString(CultureInfo.InvariantCulture)), resumed.Select(e => e.EventId));
    }

    private static async Task ReadUntilIdleAsync(IAsyncEnumerator<BetaManagedAgentsStreamSessionEvents> stream, List<BetaManagedAgentsStreamSessionEvents> streamed)
    {
        while (await stream.MoveNextAsync())
        {
            stream.Current.Validate();
            streamed.Add(stream.Current);
            if (TypeOf(stream.Current) == "session.status_idle")
            {
                return;
            }
        }

        throw new InvalidOperationException("The stream ended before the session went idle.");
    }

    // The follower's stream from after a sequence number (Last-Event-ID), read until the given number of idles.
    private async Task<List<SseItem<string>>> ResumeAsync(string sessionId, int lastEventId, int idles)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Follower.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("x-api-key", Follower.AlphaKey);
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(Token);
        var received = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(Token))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            received.Add(item);
            if (item.EventType == "session.status_idle" && --idles == 0)
            {
                break;
            }
        }

        return received;
    }

    private async Task<int> TerminateListenersAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'lucid listener' AND datname = current_database()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
    }
}
