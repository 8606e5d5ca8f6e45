using System.Text.RegularExpressions;
using Lucid.Agents;
using Lucid.Mcp;
using Lucid.Testing.Mcp;
using Lucid.Testing.Sessions;
using Lucid.Tools;

namespace Lucid.Core.Tests.Mcp;

/// <summary>MCP tools are offered under names that no built-in, thread or custom tool can have.</summary>
public sealed class McpToolNamesTests
{
    [Theory]
    [InlineData("local", "echo")]
    [InlineData("threads", "start_thread")]
    [InlineData("threads", "wait_for_threads")]
    [InlineData("", "send_to_thread")]
    [InlineData("files", "bash")]
    [InlineData("a server with spaces", "read")]
    [InlineData("ünïcödé", "glob")]
    [InlineData("a-server-whose-name-is-far-longer-than-any-provider-allows-for-a-tool", "a_tool_whose_name_is_also_far_too_long_to_fit_in_sixty_four_characters")]
    [InlineData("s", "start_thread_with_a_name_long_enough_to_need_shortening_and_a_hash_at_its_end")]
    public void For_any_server_and_tool_gives_a_prefixed_name_the_providers_accept(string server, string tool)
    {
        var name = McpToolNames.For(server, tool);

        Assert.StartsWith(McpToolNames.Prefix, name, StringComparison.Ordinal);
        Assert.Matches(new Regex("^[A-Za-z0-9_-]{1,64}$"), name);
        Assert.DoesNotContain(name, BuiltInTools.Names);
        Assert.Equal(name, McpToolNames.For(server, tool));
    }

    [Theory]
    [InlineData("a__b", "c", "a", "b__c")]
    [InlineData("a_", "b", "a", "_b")]
    [InlineData("_a", "b", "", "a__b")]
    public void Two_servers_tools_whose_names_would_join_alike_get_different_names(string server1, string tool1, string server2, string tool2)
    {
        Assert.NotEqual(McpToolNames.For(server1, tool1), McpToolNames.For(server2, tool2));
        Assert.Equal("mcp__local_files__read_file", McpToolNames.For("local_files", "read_file"));
    }

    [Fact]
    public void No_built_in_tool_name_starts_with_the_prefix() =>
        Assert.DoesNotContain(BuiltInTools.Names, n => n.StartsWith(McpToolNames.Prefix, StringComparison.Ordinal));

    [Fact]
    public async Task A_lead_with_an_mcp_server_is_offered_its_thread_tools_built_ins_and_mcp_tools_under_distinct_names()
    {
        await using var server = new InProcessMcpServer();
        await server.StartAsync();
        await using var h = await SessionHarness.StartAsync(
            tools: [new AgentToolset(), new McpToolset { McpServerName = "local" }],
            multiagent: _ => Task.FromResult(new MultiagentConfig()),
            mcpServers: [new McpUrlServer { Name = "local", Url = server.Url }]);
        h.Model.Reply("done");

        await h.RunTurnAsync("hi");

        var offered = h.Model.Requests[0].Options?.Tools?.Select(t => t.Name).ToList() ?? [];
        Assert.Equal(offered.Count, offered.Distinct(StringComparer.Ordinal).Count());
        var mcp = offered.Where(n => n.StartsWith(McpToolNames.Prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(["add", "count", "echo", "fail", "image"], mcp.Select(n => n[(McpToolNames.Prefix + "local__").Length..]).Order(StringComparer.Ordinal));
        Assert.Equal(
            [.. BuiltInTools.Names.Concat(["start_thread", "send_to_thread", "wait_for_threads"]).Order(StringComparer.Ordinal)],
            offered.Except(mcp).Order(StringComparer.Ordinal));
    }
}
