using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Server;
using static Lucid.Conformance.Tests.SessionStreams;

namespace Lucid.Conformance.Tests;

/// <summary>
/// A stdio MCP server (a Lucid extension) run by a session in its bubblewrap sandbox: a small server in Python that
/// speaks MCP's newline-delimited JSON-RPC and answers with where it runs and what it can see.
/// </summary>
public sealed class McpStdioConformanceTests : IAsyncLifetime
{
    // Answers initialize, tools/list and tools/call (any other request is "method not found"); its one tool reports its
    // working directory, whether it can see the server's database (argv[1]), and a variable from the server's own env.
    private const string Server = """
        import json, os, sys
        for line in sys.stdin:
            m = json.loads(line)
            if "id" not in m:
                continue
            method = m.get("method")
            if method == "initialize":
                r = {"protocolVersion": m["params"]["protocolVersion"], "capabilities": {"tools": {}}, "serverInfo": {"name": "py", "version": "1"}}
            elif method == "tools/list":
                r = {"tools": [{"name": "whereami", "description": "Where this server runs.", "inputSchema": {"type": "object", "properties": {}}}]}
            elif method == "tools/call":
                seen = os.path.exists(sys.argv[1])
                r = {"content": [{"type": "text", "text": f"cwd={os.getcwd()} data_visible={seen} mode={os.environ.get('MODE')}"}], "isError": False}
            else:
                print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "error": {"code": -32601, "message": "Method not found"}}), flush=True)
                continue
            print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": r}), flush=True)
        """;

    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AnthropicClient Client => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    [Fact]
    public async Task A_stdio_server_runs_in_the_sessions_sandbox_with_its_env_and_without_the_servers_files()
    {
        var body = new Dictionary<string, JsonElement>
        {
            ["name"] = JsonSerializer.SerializeToElement("stdio-agent"),
            ["model"] = JsonSerializer.SerializeToElement(LucidServerFixture.Model),
            ["mcp_servers"] = JsonSerializer.SerializeToElement(new[]
            {
                new { type = "stdio", name = "py", command = "python3", args = new[] { "-c", Server, _server.DatabasePath }, env = new Dictionary<string, string> { ["MODE"] = "stdio-test" } },
            }),
            ["tools"] = JsonSerializer.SerializeToElement(new object[]
            {
                new { type = "mcp_toolset", mcp_server_name = "py", default_config = new { permission_policy = new { type = "always_allow" } } },
            }),
        };
        var agent = await Client.Beta.Agents.Create(AgentCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body));
        var environment = await Client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        _server.Upstream.ReplyToolUse("mcp__py__whereami", new { }).ReplyText("It runs in the sandbox.");

        var session = await Client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Where does your server run?" }] }],
        });
        var streamed = await UntilIdleAsync(Client, session.ID);

        var use = Assert.Single(streamed, e => TypeOf(e) == "agent.mcp_tool_use").Json;
        Assert.Equal(("py", "whereami"), (use.GetProperty("mcp_server_name").GetString(), use.GetProperty("name").GetString()));
        var result = Assert.Single(streamed, e => TypeOf(e) == "agent.mcp_tool_result").Json;
        Assert.False(result.GetProperty("is_error").GetBoolean(), result.ToString());
        var text = result.GetProperty("content")[0].GetProperty("text").GetString();
        Assert.Equal("cwd=/workspace data_visible=False mode=stdio-test", text);
    }
}
