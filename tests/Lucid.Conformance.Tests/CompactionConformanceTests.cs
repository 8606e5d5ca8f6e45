using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Server;
using Microsoft.Extensions.AI;

namespace Lucid.Conformance.Tests;

/// <summary>A session that outgrows its model's small window, on a server of its own, followed through the official SDK.</summary>
public sealed class CompactionConformanceTests : IAsyncLifetime
{
    private const string Model = "scripted/small-window";
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync(engine: new SessionEngineOptions
    {
        Catalog = new ModelCatalog(new Dictionary<string, ModelInfo> { [Model] = new() { ContextWindow = 2_000, MaxOutputTokens = 200, IsKnown = true } }),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_compaction_is_streamed_as_the_apis_event_and_validates()
    {
        var script = new ScriptedChatClient();
        for (var i = 0; i < 20; i++)
        {
            script.Then((request, _) => Task.FromResult(script.Response(new ChatMessage(ChatRole.Assistant,
                request.Messages.Any(m => m.Role == ChatRole.System && m.Text.Contains("You compact the context", StringComparison.Ordinal)) ? "the summary" : "noted"))));
        }

        _server.Scripted.With(Model, script);
        var client = new AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "long", Model = new BetaManagedAgentsModelConfigParams { ID = Model } });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "long" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID });

        BetaManagedAgentsAgentThreadContextCompactedEvent? compacted = null;
        string? summary = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var turn = 0; turn < 6 && compacted is null; turn++)
        {
            await client.Beta.Sessions.Events.Send(session.ID, new EventSendParams
            {
                Events = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = $"turn {turn}: " + new string('z', 2_500) }] }],
            });
            // The stream replays the log from its start: this turn has ended at its idle, the turn-th after the first.
            var idles = 0;
            await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
            {
                e.Validate();
                if (e.TryPickAgentThreadContextCompactedEvent(out var found))
                {
                    compacted = found;
                    summary = e.Json.GetProperty("summary").GetString();
                }

                if (e.Json.GetProperty("type").GetString() == "session.status_idle" && ++idles > turn)
                {
                    break;
                }
            }
        }

        Assert.NotNull(compacted);
        Assert.StartsWith("sevt_", compacted.ID, StringComparison.Ordinal);
        Assert.Equal("the summary", summary);
    }
}
