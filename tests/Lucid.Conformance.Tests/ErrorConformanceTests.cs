using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class ErrorConformanceTests(LucidServerFixture server)
{
    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };

    [Fact]
    public async Task Calls_without_a_valid_key_are_401()
    {
        var none = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => server.Client(null).Beta.Agents.List());
        var wrong = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => server.Client("lucid_sk_wrong").Beta.Agents.List());

        Assert.Contains("API key", none.Message, StringComparison.Ordinal);
        Assert.Contains("not valid", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_workspace_cannot_see_or_touch_resources_404()
    {
        var agent = await server.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "private", Model = LucidServerFixture.ModelParam });
        var environment = await server.Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "private" });
        var session = await server.Alpha.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID });
        var before = await server.SnapshotAsync();
        var beta = server.Beta;

        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Agents.Retrieve(agent.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Agents.Update(agent.ID, new AgentUpdateParams { System = "taken over" }));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Agents.Archive(agent.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Environments.Retrieve(environment.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Sessions.Retrieve(session.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Sessions.Events.List(session.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(async () =>
        {
            // Refused at once; the token only keeps a stream wrongly opened from waiting forever.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await foreach (var _ in beta.Beta.Sessions.Events.StreamStreaming(session.ID, new(), guard.Token))
            {
            }
        });
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("hi")] }));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => beta.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID }));
        Assert.DoesNotContain((await beta.Beta.Agents.List()).Items, a => a.ID == agent.ID);
        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task Invalid_input_is_400_naming_the_field_and_changes_nothing()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "valid", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "valid" });
        var before = await server.SnapshotAsync();
        var tooMany = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v");
        var longValue = new Dictionary<string, string> { ["k"] = new string('x', 513) };
        var longKey = new Dictionary<string, string> { [new string('k', 65)] = "v" };

        async Task<string> Rejected(Func<Task> call)
        {
            var ex = await Assert.ThrowsAsync<AnthropicBadRequestException>(call);
            return ex.Message;
        }

        Assert.Contains("name", await Rejected(() => client.Beta.Agents.Create(AgentCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement> { ["model"] = JsonSerializer.SerializeToElement(LucidServerFixture.Model) }))), StringComparison.Ordinal);
        Assert.Contains("metadata", await Rejected(() => client.Beta.Agents.Create(new AgentCreateParams { Name = "m", Model = LucidServerFixture.ModelParam, Metadata = tooMany })), StringComparison.Ordinal);
        Assert.Contains("metadata", await Rejected(() => client.Beta.Agents.Create(new AgentCreateParams { Name = "m", Model = LucidServerFixture.ModelParam, Metadata = longValue })), StringComparison.Ordinal);
        Assert.Contains("metadata", await Rejected(() => client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "m", Metadata = longKey })), StringComparison.Ordinal);
        Assert.Contains("agent", await Rejected(() => client.Beta.Sessions.Create(new SessionCreateParams { Agent = "sesn_notanagent", EnvironmentID = environment.ID })), StringComparison.Ordinal);
        Assert.Contains("environment_id", await Rejected(() => client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = "agent_notanenv" })), StringComparison.Ordinal);
        Assert.Contains("session_id", await Rejected(() => client.Beta.Sessions.Retrieve("env_notasession")), StringComparison.Ordinal);
        Assert.Contains("initial_events", await Rejected(() => client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [.. Enumerable.Range(0, 51).Select(i => (InitialEvent)Message($"m{i}"))],
        })), StringComparison.Ordinal);
        Assert.Contains("content", await Rejected(() => client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [] }],
        })), StringComparison.Ordinal);

        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task Raw_bad_requests_get_the_api_error_shape_never_a_500()
    {
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-api-key", server.AlphaKey);
        var before = await server.SnapshotAsync();

        async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, HttpContent content)
        {
            // Expect: 100-continue lets the server refuse an oversized body before the client sends it; without it the
            // server's early 413 races the upload and the client may see a reset connection instead of the answer.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var notJson = await Post("/v1/agents?beta=true", new StringContent("{ nope", Encoding.UTF8, "application/json"));
        var wrongType = await Post("/v1/agents", new StringContent("""{"name": 42, "model": "x/y"}""", Encoding.UTF8, "application/json"));
        var deep = await Post("/v1/agents", new StringContent(new string('[', 200) + new string(']', 200), Encoding.UTF8, "application/json"));
        var invalidUtf8 = await Post("/v1/agents", new ByteArrayContent([0x7B, 0x22, 0x6E, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]));
        var huge = await Post("/v1/agents", new StringContent($$"""{"name":"{{new string('x', 2 * 1024 * 1024)}}","model":"x/y"}""", Encoding.UTF8, "application/json"));
        var unknownType = await Post("/v1/agents", new StringContent("""{"name":"a","model":"x/y","tools":[{"type":"teleporter"}]}""", Encoding.UTF8, "application/json"));
        var unknownRoute = await Post("/v1/nothing-here", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Contains("name must be a string", wrongType.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, deep.Status);
        Assert.Equal(HttpStatusCode.BadRequest, invalidUtf8.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.Status);
        foreach (var body in new[] { notJson.Body, wrongType.Body, deep.Body, invalidUtf8.Body, huge.Body, unknownType.Body, unknownRoute.Body })
        {
            Assert.Equal("error", body.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
        }

        Assert.Equal(before, await server.SnapshotAsync());
    }
}
