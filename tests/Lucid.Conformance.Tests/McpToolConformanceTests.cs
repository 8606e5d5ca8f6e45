using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Mcp;
using Lucid.Testing.Server;
using static Lucid.Conformance.Tests.SessionStreams;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Agents calling the tools of an MCP server built with the official C# SDK, on a loopback port, through a Lucid server
/// of their own; every event is validated by the official Anthropic SDK.
/// </summary>
public sealed class McpToolConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();
    private readonly InProcessMcpServer _mcp = new();

    public async Task InitializeAsync()
    {
        await _mcp.StartAsync();
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _mcp.DisposeAsync();
    }

    private AnthropicClient Client => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private async Task<string> StartAsync(string text, bool ask = false, string? url = null)
    {
        var client = Client;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "mcp-user",
            Model = LucidServerFixture.ModelParam,
            McpServers = [new BetaManagedAgentsUrlMcpServerParams { Name = "local", Url = url ?? _mcp.Url }],
            Tools =
            [
                new BetaManagedAgentsMcpToolsetParams
                {
                    McpServerName = "local",
                    DefaultConfig = new BetaManagedAgentsMcpToolsetDefaultConfigParams
                    {
                        PermissionPolicy = ask ? new BetaManagedAgentsAlwaysAskPolicy() : new BetaManagedAgentsAlwaysAllowPolicy(),
                    },
                },
            ],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [Message(text)],
        });
        return session.ID;
    }

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    private Task<List<BetaManagedAgentsStreamSessionEvents>> UntilIdleAsync(string sessionId, int idles = 1) =>
        SessionStreams.UntilIdleAsync(Client, sessionId, idles);

    private static JsonElement Single(List<BetaManagedAgentsStreamSessionEvents> streamed, string type) => Assert.Single(streamed, e => TypeOf(e) == type).Json;

    private static string ResultText(JsonElement result) =>
        string.Join("\n", result.GetProperty("content").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));

    [Fact]
    public async Task The_servers_tools_are_offered_and_a_call_streams_mcp_tool_use_and_result()
    {
        _server.Upstream.ReplyToolUse("mcp__local__echo", new { text = "hello" }).ReplyText("It said hello.");

        var streamed = await UntilIdleAsync(await StartAsync("Echo hello."));

        var offered = _server.Upstream.Requests[0].Json!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["mcp__local__add", "mcp__local__count", "mcp__local__echo", "mcp__local__fail", "mcp__local__image"], offered.Order(StringComparer.Ordinal));
        var use = Single(streamed, "agent.mcp_tool_use");
        Assert.Equal("local", use.GetProperty("mcp_server_name").GetString());
        Assert.Equal("echo", use.GetProperty("name").GetString());
        Assert.Equal("hello", use.GetProperty("input").GetProperty("text").GetString());
        Assert.Equal("allow", use.GetProperty("evaluated_permission").GetString());
        var result = Single(streamed, "agent.mcp_tool_result");
        Assert.Equal(use.GetProperty("id").GetString(), result.GetProperty("mcp_tool_use_id").GetString());
        Assert.False(result.GetProperty("is_error").GetBoolean());
        Assert.Equal("echo: hello", ResultText(result));
        Assert.Contains("echo: hello", _server.Upstream.Requests[1].Body, StringComparison.Ordinal);
        Assert.Equal("end_turn", streamed[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_tool_error_is_an_error_result_the_agent_reads()
    {
        _server.Upstream.ReplyToolUse("mcp__local__fail", new { reason = "disk full" }).ReplyText("It failed.");

        var streamed = await UntilIdleAsync(await StartAsync("Try it."));

        var result = Single(streamed, "agent.mcp_tool_result");
        Assert.True(result.GetProperty("is_error").GetBoolean());
        Assert.Equal("failed: disk full", ResultText(result));
        Assert.Contains("failed: disk full", _server.Upstream.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_arguments_from_the_model_are_an_error_result_and_the_turn_goes_on()
    {
        _server.Upstream.ReplyToolUse("mcp__local__add", new { a = "one", b = 2 }).ReplyText("Bad arguments.");

        var streamed = await UntilIdleAsync(await StartAsync("Add."));

        var result = Single(streamed, "agent.mcp_tool_result");
        Assert.True(result.GetProperty("is_error").GetBoolean());
        Assert.NotEmpty(ResultText(result));
        Assert.Equal("end_turn", streamed[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_tool_the_server_does_not_offer_is_refused_naming_the_tools_there_are()
    {
        _server.Upstream.ReplyToolUse("mcp__local__nope", new { }).ReplyText("No such tool.");

        var streamed = await UntilIdleAsync(await StartAsync("Call nope."));

        var result = Single(streamed, "agent.tool_result");
        Assert.True(result.GetProperty("is_error").GetBoolean());
        Assert.Contains("mcp__local__echo", ResultText(result), StringComparison.Ordinal);
        Assert.DoesNotContain(streamed, e => TypeOf(e) == "agent.mcp_tool_result");
    }

    [Fact]
    public async Task An_image_result_is_kept_as_an_image_block()
    {
        _server.Upstream.ReplyToolUse("mcp__local__image", new { }).ReplyText("A dot.");

        var streamed = await UntilIdleAsync(await StartAsync("Show me."));

        var content = Single(streamed, "agent.mcp_tool_result").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["text", "image"], content.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("image/png", content[1].GetProperty("source").GetProperty("media_type").GetString());
        Assert.Equal(InProcessMcpServer.Png, content[1].GetProperty("source").GetProperty("data").GetString());
    }

    [Fact]
    public async Task Always_ask_waits_for_confirmation_then_runs_the_call_once_and_a_denial_runs_nothing()
    {
        _server.Upstream.ReplyToolUse("mcp__local__count", new { }).ReplyText("Counted.").ReplyToolUse("mcp__local__count", new { }).ReplyText("Not counted.");
        var sessionId = await StartAsync("Count.", ask: true);

        var asked = await UntilIdleAsync(sessionId);
        var use = Single(asked, "agent.mcp_tool_use");
        var idle = asked[^1].Json.GetProperty("stop_reason");
        await Client.Beta.Sessions.Events.Send(sessionId, new EventSendParams
        {
            Events = [new BetaManagedAgentsUserToolConfirmationEventParams { ToolUseID = use.GetProperty("id").GetString()!, Result = BetaManagedAgentsUserToolConfirmationEventParamsResult.Allow }],
        });
        var allowed = await UntilIdleAsync(sessionId, 2);
        await Client.Beta.Sessions.Events.Send(sessionId, new EventSendParams { Events = [Message("Again.")] });
        var second = (await UntilIdleAsync(sessionId, 3)).Skip(allowed.Count).ToList();
        var secondUse = Single(second, "agent.mcp_tool_use").GetProperty("id").GetString()!;
        await Client.Beta.Sessions.Events.Send(sessionId, new EventSendParams
        {
            Events = [new BetaManagedAgentsUserToolConfirmationEventParams { ToolUseID = secondUse, Result = BetaManagedAgentsUserToolConfirmationEventParamsResult.Deny, DenyMessage = "not now" }],
        });
        var denied = (await UntilIdleAsync(sessionId, 4)).Skip(allowed.Count + second.Count).ToList();

        Assert.Equal("ask", use.GetProperty("evaluated_permission").GetString());
        Assert.Equal("requires_action", idle.GetProperty("type").GetString());
        Assert.Equal(use.GetProperty("id").GetString(), Assert.Single(idle.GetProperty("event_ids").EnumerateArray()).GetString());
        Assert.DoesNotContain(asked, e => TypeOf(e) == "agent.mcp_tool_result");
        Assert.Equal("1", ResultText(Single(allowed, "agent.mcp_tool_result")));
        var refusal = Single(denied, "agent.mcp_tool_result");
        Assert.True(refusal.GetProperty("is_error").GetBoolean());
        Assert.Contains("not now", ResultText(refusal), StringComparison.Ordinal);
        Assert.Equal(1, _mcp.Counted);
    }

    [Fact]
    public async Task A_server_that_dies_mid_session_gives_error_results_and_connection_errors_and_nothing_hangs()
    {
        _server.Upstream
            .ReplyToolUse("mcp__local__count", new { }).ReplyText("Counted once.")
            .ReplyToolUse("mcp__local__count", new { }).ReplyText("The server is gone.")
            .ReplyText("Still gone.");
        var sessionId = await StartAsync("Count.");
        var first = await UntilIdleAsync(sessionId);

        await _mcp.DisposeAsync();
        await Client.Beta.Sessions.Events.Send(sessionId, new EventSendParams { Events = [Message("Count again.")] });
        var second = (await UntilIdleAsync(sessionId, 2)).Skip(first.Count).ToList();
        await Client.Beta.Sessions.Events.Send(sessionId, new EventSendParams { Events = [Message("And again.")] });
        var third = (await UntilIdleAsync(sessionId, 3)).Skip(first.Count + second.Count).ToList();

        Assert.Equal("1", ResultText(Single(first, "agent.mcp_tool_result")));
        var lost = Single(second, "agent.mcp_tool_result");
        Assert.True(lost.GetProperty("is_error").GetBoolean());
        Assert.Contains("outcome is unknown", ResultText(lost), StringComparison.Ordinal);
        Assert.Equal("end_turn", second[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
        Assert.True(third.Single(e => TypeOf(e) == "session.error").TryPickSessionErrorEvent(out var error));
        Assert.True(error.Error.TryPickBetaManagedAgentsMcpConnectionFailed(out var failed));
        Assert.Equal("local", failed.McpServerName);
        Assert.Null(_server.Upstream.Requests[^1].Json!["tools"]);
        Assert.Equal("end_turn", third[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unreachable_url_is_a_connection_error_and_the_turn_runs_without_its_tools()
    {
        _server.Upstream.ReplyText("No tools today.");
        var closed = $"http://127.0.0.1:{FreePorts.Next()}/mcp";

        var streamed = await UntilIdleAsync(await StartAsync("Anything?", url: closed));

        Assert.True(streamed.Single(e => TypeOf(e) == "session.error").TryPickSessionErrorEvent(out var error));
        Assert.True(error.Error.TryPickBetaManagedAgentsMcpConnectionFailed(out var failed));
        Assert.Equal("local", failed.McpServerName);
        Assert.Contains("could not be reached", failed.Message, StringComparison.Ordinal);
        Assert.Null(_server.Upstream.Requests[0].Json!["tools"]);
        Assert.Equal("end_turn", streamed[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }
}
