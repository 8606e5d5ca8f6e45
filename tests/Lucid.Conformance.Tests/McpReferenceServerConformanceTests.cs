using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Mcp;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>
/// An agent using the reference MCP server from npm (<c>@modelcontextprotocol/server-everything</c>, installed by
/// <c>.ci/run</c>) over streamable HTTP and over the legacy SSE transport, seen through the official Anthropic SDK.
/// </summary>
public sealed class McpReferenceServerConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("streamableHttp")]
    [InlineData("sse")]
    public async Task The_reference_servers_tools_are_listed_and_echo_and_a_validation_error_come_back(string transport)
    {
        await using var everything = await EverythingServer.StartAsync(transport);
        _server.Upstream
            .ReplyToolUse("mcp__everything__echo", new { message = "hi" })
            .ReplyToolUse("mcp__everything__get-sum", new { a = "not a number", b = 2 })
            .ReplyText("Done.");
        var client = new AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "reference",
            Model = LucidServerFixture.ModelParam,
            McpServers = [new BetaManagedAgentsUrlMcpServerParams { Name = "everything", Url = everything.Url }],
            Tools =
            [
                new BetaManagedAgentsMcpToolsetParams
                {
                    McpServerName = "everything",
                    DefaultConfig = new BetaManagedAgentsMcpToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAllowPolicy() },
                },
            ],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Echo hi, then add." }] }],
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var results = new List<JsonElement>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            var type = e.Json.GetProperty("type").GetString();
            if (type == "agent.mcp_tool_result")
            {
                results.Add(e.Json);
            }

            if (type == "session.status_idle")
            {
                break;
            }
        }

        var offered = _server.Upstream.Requests[0].Json!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("mcp__everything__echo", offered);
        Assert.Contains("mcp__everything__get-sum", offered);
        Assert.Equal(2, results.Count);
        Assert.False(results[0].GetProperty("is_error").GetBoolean());
        Assert.Equal("Echo: hi", results[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.True(results[1].GetProperty("is_error").GetBoolean());
    }
}
