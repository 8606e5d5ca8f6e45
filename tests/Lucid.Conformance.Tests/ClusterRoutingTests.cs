using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Sessions;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>
/// The router that runs this suite against a cluster (<see cref="TestCluster.NodesVariable"/>) on three nodes of its
/// own: the official SDK creates a session through the first node, streams it through the second and sends it a message
/// through the third, and each of those requests reached the node it was meant for.
/// </summary>
public sealed class ClusterRoutingTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new() { Nodes = 3 };
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task A_session_created_through_one_node_streams_through_another_and_takes_a_message_through_the_third()
    {
        var token = _timeout.Token;
        var client = new AnthropicClient(new ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "worker", Model = LucidServerFixture.ModelParam }, token);
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" }, token);
        _server.Upstream.ReplyText("one").ReplyText("two");
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID, InitialEvents = [Message("first")] }, token);

        var streamed = new List<string>();
        var idles = 0;
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), token))
        {
            e.Validate();
            streamed.Add(e.Json.GetProperty("id").GetString() ?? "");
            if (e.Json.GetProperty("type").GetString() == "session.status_idle" && ++idles == 1)
            {
                await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams { Events = [Message("second")] }, token);
            }
            else if (idles == 2)
            {
                break;
            }
        }

        var listed = await client.Beta.Sessions.Events.List(session.ID, new EventListParams { Limit = 100 }, token);
        Assert.Equal(listed.Items.Select(e => e.Json.GetProperty("id").GetString()), streamed);
        var router = _server.Router ?? throw new InvalidOperationException("The server is not a cluster.");
        Assert.Equal([1, 0, 0], Enumerable.Range(0, 3).Select(node => router.Routed(node, RequestKind.Create)));
        Assert.Equal([0, 1, 0], Enumerable.Range(0, 3).Select(node => router.Routed(node, RequestKind.Stream)));
        Assert.Equal([0, 0, 1], Enumerable.Range(0, 3).Select(node => router.Routed(node, RequestKind.Send)));
        Assert.All(Enumerable.Range(0, 3), node => Assert.True(router.Routed(node, RequestKind.Other) > 0));
        // The node that created the session runs it, its second turn too (sent through the third node); the others run nothing of it.
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(node => _server.Service<SessionEngine>(node).Runs(session.ID)));
    }

    private static BetaManagedAgentsUserMessageEventParams Message(string text) => new() { Content = [new BetaManagedAgentsTextBlock { Text = text }] };
}
