using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;

namespace Lucid.Conformance.Tests;

/// <summary>The <c>web_fetch</c> tool on a real server: it fetches from inside the sandbox, under the environment's network policy.</summary>
[Collection(SandboxServerGroup.Name)]
public sealed class WebFetchConformanceTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task Web_fetch_with_unrestricted_networking_returns_status_type_and_body_and_cuts_a_large_body()
    {
        using var site = LoopbackSite.Start();

        var (_, results) = await fixture.RunToolsAsync(fixture.Server.AlphaKey, new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() },
            ("web_fetch", new { url = $"{site.Url}/page" }), ("web_fetch", new { url = $"{site.Url}/missing" }), ("web_fetch", new { url = $"{site.Url}/large" }));

        Assert.Equal(3, results.Count);
        var (page, pageError) = results[0];
        Assert.False(pageError, page);
        Assert.Contains("HTTP 200, content type text/html; charset=utf-8", page, StringComparison.Ordinal);
        Assert.Contains("HTML converted to text", page, StringComparison.Ordinal);
        Assert.Contains("# answered GET /page", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1>", page, StringComparison.Ordinal);
        var (missing, missingError) = results[1];
        Assert.True(missingError);
        Assert.Contains("HTTP 404", missing, StringComparison.Ordinal);
        var (large, largeError) = results[2];
        Assert.False(largeError, large);
        Assert.Contains("body cut at 1,048,576 bytes", large, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_fetch_in_an_environment_without_network_fails_naming_the_policy()
    {
        using var site = LoopbackSite.Start();

        var (_, results) = await fixture.RunToolsAsync(fixture.Server.AlphaKey, ("web_fetch", new { url = $"{site.Url}/page" }));

        var (text, isError) = Assert.Single(results);
        Assert.True(isError);
        Assert.Contains("no connection could be made", text, StringComparison.Ordinal);
        Assert.Contains("no network access", text, StringComparison.Ordinal);
        Assert.Equal(0, site.Requests);
    }

    [Fact]
    public async Task Web_fetch_with_limited_networking_reaches_allowed_hosts_and_is_refused_others_by_the_proxy()
    {
        using var site = LoopbackSite.Start();

        var (_, results) = await fixture.RunToolsAsync(fixture.Server.AlphaKey,
            new BetaCloudConfigParams { Networking = new BetaLimitedNetworkParams { AllowedHosts = ["127.0.0.1"] } },
            ("web_fetch", new { url = $"{site.Url}/allowed" }), ("web_fetch", new { url = $"http://localhost:{site.Port}/other" }));

        Assert.Equal(2, results.Count);
        Assert.False(results[0].IsError, results[0].Text);
        Assert.Contains("answered GET /allowed", results[0].Text, StringComparison.Ordinal);
        Assert.True(results[1].IsError);
        Assert.Contains("HTTP 403", results[1].Text, StringComparison.Ordinal);
        Assert.Contains("allowed_hosts", results[1].Text, StringComparison.Ordinal);
        Assert.Equal(1, site.Requests);
    }

    [Fact]
    public async Task A_web_fetch_config_with_enabled_and_permission_policy_round_trips_through_the_sdk()
    {
        var client = fixture.Client(fixture.Server.AlphaKey);

        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "no-fetch",
            Model = new BetaManagedAgentsModelConfigParams { ID = "scripted/unused" },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params { Configs = [new BetaManagedAgentsWebFetchToolConfigParams { Enabled = false, PermissionPolicy = new BetaManagedAgentsAlwaysAskPolicy() }] }],
        });

        agent.Validate();
        var toolset = JsonSerializer.SerializeToElement(agent.Tools[0]);
        var webFetch = toolset.GetProperty("configs").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "web_fetch");
        Assert.False(webFetch.GetProperty("enabled").GetBoolean());
        Assert.Equal("always_ask", webFetch.GetProperty("permission_policy").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Each_redirect_is_checked_against_blocked_domains_and_the_text_is_cut_at_max_content_tokens()
    {
        using var site = LoopbackSite.Start();
        var toolset = new BetaManagedAgentsAgentToolset20260401Params
        {
            Configs = [new BetaManagedAgentsWebFetchToolConfigParams { BlockedDomains = ["localhost"], MaxContentTokens = 4 }],
        };

        var (_, results) = await fixture.RunToolsAsync(fixture.Server.AlphaKey, new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() }, toolset,
            ("web_fetch", new { url = $"{site.Url}/redirect?to=http://localhost:{site.Port}/landed" }),
            ("web_fetch", new { url = $"{site.Url}/redirect?to={site.Url}/landed" }),
            ("web_fetch", new { url = $"{site.Url}/redirect?to={site.Url}/loop" }),
            ("web_fetch", new { url = $"http://localhost:{site.Port}/direct" }));

        Assert.Equal(4, results.Count);
        var (blocked, blockedError) = results[0];
        Assert.True(blockedError);
        Assert.Contains($"redirected to http://localhost:{site.Port}/landed, which is refused", blocked, StringComparison.Ordinal);
        Assert.Contains("blocked_domains entry 'localhost'", blocked, StringComparison.Ordinal);
        var (followed, followedError) = results[1];
        Assert.False(followedError, followed);
        Assert.Contains($"redirected to {site.Url}/landed", followed, StringComparison.Ordinal);
        Assert.Contains("text cut at max_content_tokens 4 (about 14 characters)", followed, StringComparison.Ordinal);
        Assert.EndsWith("\n\n# answered GET", followed, StringComparison.Ordinal);
        var (looped, loopedError) = results[2];
        Assert.True(loopedError);
        Assert.Contains("redirected more than 5 times", looped, StringComparison.Ordinal);
        var (direct, directError) = results[3];
        Assert.True(directError);
        Assert.Contains("its host 'localhost' is blocked", direct, StringComparison.Ordinal);

        // The blocked hop and the direct call reached nothing; the followed chain made 2 requests, the loop 6.
        Assert.Equal(1 + 2 + 6, site.Requests);
    }

    [Fact]
    public async Task Url_sources_refuse_a_url_the_conversation_has_not_shown_before_anything_is_fetched()
    {
        using var site = LoopbackSite.Start();
        var toolset = new BetaManagedAgentsAgentToolset20260401Params
        {
            Configs =
            [
                new BetaManagedAgentsWebFetchToolConfigParams
                {
                    UrlSources = new BetaManagedAgentsWebFetchUrlSourcesParams { UserInput = new BetaManagedAgentsWebFetchUrlSourceUserInput(new BetaManagedAgentsWebFetchUrlSourceNone()) },
                },
            ],
        };

        var (_, results) = await fixture.RunToolsAsync(fixture.Server.AlphaKey, new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() }, toolset,
            ("web_fetch", new { url = $"{site.Url}/invented" }));

        var (text, isError) = Assert.Single(results);
        Assert.True(isError);
        Assert.Contains("url_sources allow only URLs the conversation has already shown", text, StringComparison.Ordinal);
        Assert.Equal(0, site.Requests);
    }

    [Fact]
    public async Task A_web_fetch_config_round_trips_through_the_sdk_with_url_sources_in_the_object_form()
    {
        var client = fixture.Client(fixture.Server.AlphaKey);
        using var http = fixture.Server.Http(fixture.Server.AlphaKey);
        var body = """
            {"name":"fetch-config","model":"scripted/unused","tools":[
              {"type":"custom","name":"search_docs","description":"Searches.","input_schema":{"type":"object"}},
              {"type":"agent_toolset_20260401","configs":[{"name":"web_fetch","allowed_domains":["Docs.Example.com."],"max_content_tokens":500,
                "url_sources":{"user_input":"none","client_tool_results":{"type":"only","tools":[{"type":"tool_reference","name":"search_docs"}]}}}]}]}
            """;

        using var created = await http.PostAsync("/v1/agents", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString() ?? "";
        var agent = await client.Beta.Agents.Retrieve(id);

        agent.Validate();
        var toolset = JsonSerializer.SerializeToElement(agent.Tools[1]);
        var webFetch = toolset.GetProperty("configs").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "web_fetch");
        Assert.Equal(["docs.example.com"], webFetch.GetProperty("allowed_domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(500, webFetch.GetProperty("max_content_tokens").GetInt32());
        var sources = webFetch.GetProperty("url_sources");
        Assert.Equal("none", sources.GetProperty("user_input").GetProperty("type").GetString());
        Assert.Equal("only", sources.GetProperty("client_tool_results").GetProperty("type").GetString());
        Assert.Equal("search_docs", sources.GetProperty("client_tool_results").GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("all", sources.GetProperty("server_tool_results").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("\"allowed_domains\":[]", "allowed_domains")]
    [InlineData("\"allowed_domains\":[\"https://example.com/docs\"]", "allowed_domains[0]")]
    [InlineData("\"blocked_domains\":[\"example.com:8080\"]", "blocked_domains[0]")]
    [InlineData("\"allowed_domains\":[\"a.com\"],\"blocked_domains\":[\"b.com\"]", "blocked_domains")]
    [InlineData("\"max_content_tokens\":0", "max_content_tokens")]
    [InlineData("\"url_sources\":{\"user_input\":\"none\",\"client_tool_results\":\"none\",\"server_tool_results\":\"none\"}", "url_sources.user_input")]
    [InlineData("\"url_sources\":{\"user_input\":{\"type\":\"only\",\"tools\":[]}}", "url_sources.user_input.type")]
    [InlineData("\"url_sources\":{\"client_tool_results\":{\"type\":\"only\",\"tools\":[{\"type\":\"tool_reference\",\"name\":\"no_such_tool\"}]}}", "url_sources.client_tool_results.tools[0].name")]
    [InlineData("\"url_sources\":{\"server_tool_results\":{\"type\":\"except\",\"tools\":[{\"type\":\"tool_reference\",\"name\":\"bash\"}]}}", "url_sources.server_tool_results.tools[0].name")]
    [InlineData("\"url_sources\":{\"server_tool_results\":{\"type\":\"only\",\"tools\":[]}}", "url_sources.server_tool_results.tools")]
    public async Task A_bad_web_fetch_config_is_a_400_naming_the_field_and_creates_nothing(string fields, string field)
    {
        using var http = fixture.Server.Http(fixture.Server.AlphaKey);
        var name = $"fetch-{Guid.NewGuid():N}";
        var body = $$"""{"name":"{{name}}","model":"scripted/unused","tools":[{"type":"agent_toolset_20260401","configs":[{"name":"web_fetch",{{fields}}}]}]}""";

        using var response = await http.PostAsync("/v1/agents", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal($"tools[0].configs[0].{field}", error.GetProperty("field").GetString());
        Assert.DoesNotContain((await fixture.Client(fixture.Server.AlphaKey).Beta.Agents.List(new AgentListParams { Limit = 100 })).Items, a => a.Name == name);
    }

    /// <summary>
    /// An HTTP server on loopback that answers each request with its request line, as HTML; <c>/missing</c> is a 404,
    /// <c>/large</c> 2 MiB, <c>/redirect?to=URL</c> a 302 to URL, and <c>/loop</c> a 302 to itself.
    /// </summary>
    private sealed class LoopbackSite : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _requests;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Url => $"http://127.0.0.1:{Port}";

        public int Requests => Volatile.Read(ref _requests);

        public static LoopbackSite Start()
        {
            var site = new LoopbackSite();
            site._listener.Start();
            _ = site.ServeAsync();
            return site;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = AnswerAsync(client);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using var _ = client;
            try
            {
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                var requestLine = await reader.ReadLineAsync() ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
                {
                }

                Interlocked.Increment(ref _requests);
                var path = requestLine.Split(' ')[1];
                var location = path.StartsWith("/redirect?to=", StringComparison.Ordinal) ? path["/redirect?to=".Length..] : path == "/loop" ? "/loop" : null;
                if (location is not null)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return;
                }

                var body = path == "/large" ? new string('x', 2 << 20) : $"<h1>answered GET {path}</h1>";
                var status = path == "/missing" ? "404 Not Found" : "200 OK";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            }
            catch (IOException)
            {
                // The client stopped reading (a cut body).
            }
        }
    }
}
