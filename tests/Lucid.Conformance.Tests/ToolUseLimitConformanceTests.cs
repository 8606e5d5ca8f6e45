using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Sessions;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>The limits on tool use, on a server of its own whose limits are small, seen through the official SDK.</summary>
public sealed class ToolUseLimitConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() =>
        _server.StartAsync(engine: new SessionEngineOptions { MaxToolUseRoundsPerTurn = 2, MaxCutOffToolCallsInARow = 2 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AnthropicClient Client => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    // A session of an agent with the built-in tools, started with one message; its stream until it goes idle, each
    // event validated by the SDK, and its listed events, validated too.
    private async Task<(string SessionId, List<BetaManagedAgentsStreamSessionEvents> Streamed)> RunAsync(string text)
    {
        var client = Client;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "looper",
            Model = LucidServerFixture.ModelParam,
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = text }] }],
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            if (TypeOf(e) == "session.status_idle")
            {
                break;
            }
        }

        var listed = await client.Beta.Sessions.Events.List(session.ID);
        listed.Items.ToList().ForEach(e => e.Validate());
        Assert.Equal(streamed.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Select(e => e.Json.GetProperty("id").GetString()));
        return (session.ID, streamed);
    }

    private static (BetaManagedAgentsToolUseLimitReachedError Error, string StopReason) Stop(List<BetaManagedAgentsStreamSessionEvents> streamed)
    {
        Assert.True(streamed.Single(e => TypeOf(e) == "session.error").TryPickSessionErrorEvent(out var error));
        Assert.True(error.Error.TryPickBetaManagedAgentsToolUseLimitReached(out var limit));
        Assert.True(limit.RetryStatus.TryPickBetaManagedAgentsRetryStatusExhausted(out _));
        Assert.True(streamed[^1].TryPickSessionStatusIdleEvent(out var idle));
        return (limit, idle.StopReason.Json.GetProperty("type").GetString() ?? "");
    }

    [Fact]
    public async Task A_turn_at_its_tool_use_round_limit_streams_tool_use_limit_reached_and_idles_retries_exhausted()
    {
        _server.Upstream.ReplyToolUse("glob", new { pattern = "*" }).ReplyToolUse("glob", new { pattern = "*" });

        var (_, streamed) = await RunAsync("Look around, forever.");

        var (limit, stopReason) = Stop(streamed);
        Assert.Contains("limit of 2 tool-use rounds", limit.Message, StringComparison.Ordinal);
        Assert.Equal("retries_exhausted", stopReason);
        Assert.Equal(2, streamed.Count(e => TypeOf(e) == "agent.tool_result"));
        Assert.Equal(2, _server.Upstream.Requests.Count);
    }

    [Fact]
    public async Task A_tool_call_the_output_limit_cut_off_is_not_run_and_two_in_a_row_stop_the_turn()
    {
        _server.Upstream
            .ReplyToolUseCutOff("write", new { file_path = "cut.txt", content = "the beginning of a long file" })
            .ReplyToolUseCutOff("write", new { file_path = "cut.txt", content = "the beginning of a long file" });

        var (sessionId, streamed) = await RunAsync("Write a long file.");

        var (limit, stopReason) = Stop(streamed);
        Assert.Contains("last 2 responses each requested a single tool call", limit.Message, StringComparison.Ordinal);
        Assert.Equal("retries_exhausted", stopReason);
        var results = streamed.Where(e => TypeOf(e) == "agent.tool_result").Select(e => e.Json).ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("is_error").GetBoolean()));
        Assert.Contains("cut off by the model's output limit", results[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_server.WorkDirectoriesRoot, sessionId, "cut.txt")));
    }
}
