using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Cluster;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class ClusterPageTests(ConsoleFixture fixture)
{
    // Orleans' membership runs on the real clock; this bounds a wait for it, it never paces the test.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task On_sqlite_the_navigation_has_no_cluster_link_and_the_page_says_this_is_one_node()
    {
        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Environments" })).ToBeVisibleAsync();
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Cluster" })).ToHaveCountAsync(0);

        await page.GotoAsync("/console/cluster");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cluster" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("This server is one node: its store is SQLite");
        var rows = page.Locator("table.list tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("(this node)");
        await Assertions.Expect(rows.First).ToContainTextAsync("active");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task In_a_cluster_the_navigation_links_the_page_that_lists_every_node_and_marks_this_one()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        await using var a = await StartNodeAsync(database);
        await using var b = await StartNodeAsync(database);
        await WaitForActiveNodesAsync(b, 2);
        a.Upstream.ReplyText("Hello.");
        await RunOneTurnAsync(a);

        var page = await fixture.SignedInAsync(b.AlphaKey, b);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Cluster" }).ClickAsync();
        await page.WaitForURLAsync("**/console/cluster");

        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Cluster lucid: 2 active node(s) of 2");
        var rows = page.Locator("table.list tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var self = page.Locator("table.list tbody tr[aria-current=true]");
        await Assertions.Expect(self).ToHaveCountAsync(1);
        await Assertions.Expect(self).ToContainTextAsync("(this node)");
        var other = page.Locator("table.list tbody tr:not([aria-current])");
        foreach (var (row, node, owned) in new[] { (self, b, "0"), (other, a, "1") })
        {
            var cells = row.Locator("td");
            await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync(await SelfAddressAsync(node));
            await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync("active");
            await Assertions.Expect(cells.Nth(3)).ToContainTextAsync(" UTC");
            await Assertions.Expect(cells.Nth(4)).ToHaveTextAsync(owned);
        }

        await ConsoleFixture.ScreenshotAsync(page, "cluster");
        await ConsoleFixture.AssertAccessibleAsync(page);
        await page.Context.CloseAsync();
    }

    private static async Task<LucidTestServer> StartNodeAsync(string database)
    {
        var node = new LucidTestServer
        {
            Database = database,
            Cluster = new OrleansCluster(database, new ClusterSettings { NodeAddress = IPAddress.Loopback, NodePort = FreePorts.Next(), GatewayPort = FreePorts.Next() }),
        };
        await node.StartAsync();
        return node;
    }

    // Where the node's own entry in GET /v1/lucid/cluster says the others reach it.
    private static async Task<string> SelfAddressAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        var nodes = JsonNode.Parse(await http.GetStringAsync("/v1/lucid/cluster"))!["nodes"]!.AsArray();
        return (string)nodes.Single(n => (bool)n!["self"]!)!["address"]!;
    }

    private static async Task WaitForActiveNodesAsync(LucidTestServer node, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var http = node.Http(node.AlphaKey);
        while (JsonNode.Parse(await http.GetStringAsync("/v1/lucid/cluster", timeout.Token))!["nodes"]!.AsArray().Count(n => (string?)n!["status"] == "active") != count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    // A session created on the node with a user message, followed on its stream until its turn is idle: the node owns it.
    private static async Task RunOneTurnAsync(LucidTestServer node)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var http = node.Http(node.AlphaKey);
        var agent = await CreatedAsync(await http.PostAsJsonAsync("/v1/agents", new { name = "owned", model = LucidTestServer.Model }, timeout.Token));
        var environment = await CreatedAsync(await http.PostAsJsonAsync("/v1/environments", new { name = "owned" }, timeout.Token));
        var message = new { type = "user.message", content = new[] { new { type = "text", text = "Hi." } } };
        var session = await CreatedAsync(await http.PostAsJsonAsync("/v1/sessions", new { agent, environment_id = environment, initial_events = new[] { message } }, timeout.Token));
        using var stream = new StreamReader(await http.GetStreamAsync($"/v1/sessions/{session}/events/stream", timeout.Token));
        var ran = false;
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var type = (string?)JsonNode.Parse(line[5..])!["type"];
                ran |= type == "session.status_running";
                if (ran && type == "session.status_idle")
                {
                    return;
                }
            }
        }

        throw new InvalidOperationException("The stream ended before the turn did.");
    }

    private static async Task<string> CreatedAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }
}
