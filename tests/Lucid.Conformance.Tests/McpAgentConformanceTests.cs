using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;

namespace Lucid.Conformance.Tests;

/// <summary>An agent's <c>mcp_servers</c> and <c>mcp_toolset</c> tools, as the SDK sends and reads them.</summary>
[Collection(ServerTestGroup.Name)]
public sealed class McpAgentConformanceTests(LucidServerFixture server)
{
    private static BetaManagedAgentsUrlMcpServerParams Server(string name, string url = "http://127.0.0.1:9/mcp") => new() { Name = name, Url = url };

    private static BetaManagedAgentsMcpToolsetParams Toolset(string server) => new() { McpServerName = server };

    [Fact]
    public async Task Mcp_servers_and_toolsets_round_trip_and_are_versioned_with_the_agent()
    {
        var client = server.Alpha;

        var created = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "with-mcp",
            Model = LucidServerFixture.ModelParam,
            McpServers = [Server("tracker", "https://mcp.example.com/mcp")],
            Tools =
            [
                new BetaManagedAgentsMcpToolsetParams
                {
                    McpServerName = "tracker",
                    DefaultConfig = new BetaManagedAgentsMcpToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAllowPolicy() },
                    Configs = [new BetaManagedAgentsMcpToolConfigParams { Name = "delete_issue", PermissionPolicy = new BetaManagedAgentsAlwaysAskPolicy() }],
                },
            ],
        });
        var updated = await client.Beta.Agents.Update(created.ID, new AgentUpdateParams
        {
            Version = 1,
            McpServers = [Server("tracker", "https://mcp.example.com/v2/mcp")],
        });
        var first = await client.Beta.Agents.Retrieve(created.ID, new AgentRetrieveParams { Version = 1 });
        var cleared = await client.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 2, McpServers = [], Tools = [] });

        created.Validate();
        updated.Validate();
        var declared = Assert.Single(created.McpServers);
        Assert.Equal("tracker", declared.Name);
        Assert.Equal("https://mcp.example.com/mcp", declared.Url);
        var toolset = Assert.Single(created.Tools).Json;
        Assert.Equal("mcp_toolset", toolset.GetProperty("type").GetString());
        Assert.Equal("tracker", toolset.GetProperty("mcp_server_name").GetString());
        Assert.Equal("always_allow", toolset.GetProperty("default_config").GetProperty("permission_policy").GetProperty("type").GetString());
        var config = Assert.Single(toolset.GetProperty("configs").EnumerateArray());
        Assert.Equal("delete_issue", config.GetProperty("name").GetString());
        Assert.Equal("always_ask", config.GetProperty("permission_policy").GetProperty("type").GetString());
        Assert.Equal(2, updated.Version);
        Assert.Equal("https://mcp.example.com/v2/mcp", Assert.Single(updated.McpServers).Url);
        Assert.Equal("https://mcp.example.com/mcp", Assert.Single(first.McpServers).Url);
        Assert.Equal(3, cleared.Version);
        Assert.Empty(cleared.McpServers);
    }

    [Fact]
    public async Task An_mcp_toolset_asks_before_each_call_unless_configured_otherwise()
    {
        var created = await server.Alpha.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "default-policy",
            Model = LucidServerFixture.ModelParam,
            McpServers = [Server("docs")],
            Tools = [Toolset("docs")],
        });

        var defaults = Assert.Single(created.Tools).Json.GetProperty("default_config");
        Assert.True(defaults.GetProperty("enabled").GetBoolean());
        Assert.Equal("always_ask", defaults.GetProperty("permission_policy").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Bad_mcp_definitions_are_400s_naming_the_field_and_change_nothing()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "unchanged", Model = LucidServerFixture.ModelParam });
        var before = await server.SnapshotAsync();

        async Task<string> Rejected(AgentCreateParams create)
        {
            var ex = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Agents.Create(create));
            return ex.Message;
        }

        AgentCreateParams Agent(IReadOnlyList<BetaManagedAgentsUrlMcpServerParams> servers, params Tool[] tools) =>
            new() { Name = "bad", Model = LucidServerFixture.ModelParam, McpServers = servers, Tools = tools };

        Assert.Contains("tools[0].mcp_server_name", await Rejected(Agent([Server("a")], Toolset("b"))), StringComparison.Ordinal);
        Assert.Contains("mcp_servers[1].name", await Rejected(Agent([Server("a"), Server("a")], Toolset("a"))), StringComparison.Ordinal);
        Assert.Contains("mcp_servers[0].url", await Rejected(Agent([Server("a", "not a url")], Toolset("a"))), StringComparison.Ordinal);
        Assert.Contains("mcp_servers[0].url", await Rejected(Agent([Server("a", "file:///etc/passwd")], Toolset("a"))), StringComparison.Ordinal);
        Assert.Contains("mcp_servers[1]", await Rejected(Agent([Server("a"), Server("unused")], Toolset("a"))), StringComparison.Ordinal);
        Assert.Contains("tools[1].mcp_server_name", await Rejected(Agent([Server("a")], Toolset("a"), Toolset("a"))), StringComparison.Ordinal);
        Assert.Contains("mcp_servers", await Rejected(Agent([.. Enumerable.Range(0, 21).Select(i => Server($"s{i}"))], [.. Enumerable.Range(0, 21).Select(i => (Tool)Toolset($"s{i}"))])), StringComparison.Ordinal);
        var update = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Beta.Agents.Update(agent.ID, new AgentUpdateParams { Version = 1, McpServers = [Server("orphan")] }));
        Assert.Contains("mcp_servers[0]", update.Message, StringComparison.Ordinal);
        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task A_stdio_server_is_a_lucid_extension_returned_apart_from_the_url_servers()
    {
        var body = new Dictionary<string, JsonElement>
        {
            ["name"] = JsonSerializer.SerializeToElement("stdio-agent"),
            ["model"] = JsonSerializer.SerializeToElement(LucidServerFixture.Model),
            ["mcp_servers"] = JsonSerializer.SerializeToElement(new[] { new { type = "stdio", name = "local", command = "node", args = new[] { "server.js" }, env = new Dictionary<string, string> { ["MODE"] = "test" } } }),
            ["tools"] = JsonSerializer.SerializeToElement(new[] { new { type = "mcp_toolset", mcp_server_name = "local" } }),
        };

        var created = await server.Alpha.Beta.Agents.Create(AgentCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body));

        var listed = await server.Alpha.Beta.Agents.List(new AgentListParams { Limit = 100 });

        Assert.Empty(created.McpServers);
        Assert.Contains(listed.Items, a => a.ID == created.ID);
        var local = Assert.Single(created.RawData["stdio_mcp_servers"].EnumerateArray());
        Assert.Equal("stdio", local.GetProperty("type").GetString());
        Assert.Equal("node", local.GetProperty("command").GetString());
        Assert.Equal("server.js", Assert.Single(local.GetProperty("args").EnumerateArray()).GetString());
        Assert.Equal("test", local.GetProperty("env").GetProperty("MODE").GetString());
    }
}
