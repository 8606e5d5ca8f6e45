using Lucid.Events;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Testing.Providers;
using Lucid.Testing.Sessions;

namespace Lucid.Providers.Tests;

/// <summary>
/// A session much longer than its model's context window, on the providers' real client code against a fake server
/// that refuses, in the provider's own words, any request over a small window.
/// </summary>
public sealed class LongSessionTests
{
    private const int Window = 6_000;
    private const int Turns = 200;

    [Fact]
    public async Task A_200_turn_session_on_a_known_small_window_answers_every_turn_and_never_sends_a_request_over_it()
    {
        var model = new ContextLimitedModel(Window);
        await using var server = new FakeAnthropicServer { Fallback = model.AnthropicAsync };
        await server.StartAsync();
        var catalog = new ModelCatalog(new Dictionary<string, ModelInfo>
        {
            [SessionHarness.ModelName] = new() { ContextWindow = Window, MaxOutputTokens = 500, IsKnown = true },
        });

        var log = await RunAsync(new ProviderSettings { AnthropicApiKey = "sk-ant-fake", AnthropicBaseUrl = server.BaseUrl }, "anthropic/claude-test", catalog);

        Assert.Equal(0, model.TooLongAnswers);
        Assert.All(model.RequestTokens, tokens => Assert.True(tokens <= Window));
        Assert.True(log.OfType<AgentThreadContextCompactedEvent>().Count() >= Turns / 10, "the session compacted as it grew");
        Assert.InRange(model.Summaries, log.OfType<AgentThreadContextCompactedEvent>().Count(), 3 * log.OfType<AgentThreadContextCompactedEvent>().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_200_turn_session_on_a_window_the_catalog_does_not_know_compacts_when_the_provider_says_too_long(bool statesWindow)
    {
        var model = new ContextLimitedModel(Window, statesWindow);
        await using var server = new FakeOpenAIServer { Fallback = model.OpenAIAsync };
        await server.StartAsync();

        var log = await RunAsync(new ProviderSettings { OpenAIApiKey = "sk-fake", OpenAIBaseUrl = server.ApiBaseUrl }, "openai/gpt-test", ModelCatalog.BuiltIn);

        Assert.True(model.TooLongAnswers > 0);
        Assert.True(log.OfType<AgentThreadContextCompactedEvent>().Count() >= model.TooLongAnswers);
        if (statesWindow)
        {
            // Once the provider has stated the window, requests stay under it.
            Assert.Equal(1, model.TooLongAnswers);
        }
    }

    // Runs the turns on the provider's real client; every turn must run its command and answer, none may fail.
    private static async Task<List<SessionEvent>> RunAsync(ProviderSettings settings, string providerModel, ModelCatalog catalog)
    {
        using var resolver = new ModelResolver(settings with { MaxRetries = 0 });
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { Catalog = catalog });
        h.Models.With(SessionHarness.ModelName, resolver.Resolve(providerModel).Value ?? throw new InvalidOperationException(providerModel));

        for (var turn = 1; turn <= Turns; turn++)
        {
            var events = (await h.RunTurnAsync($"Run the command of turn {turn}.")).Select(e => e.Event).ToList();

            Assert.DoesNotContain(events, e => e is SessionErrorEvent);
            Assert.Contains(events, e => e is AgentToolResultEvent { IsError: false } result && Text(result.Content).StartsWith($"turn-{turn}\n", StringComparison.Ordinal));
            Assert.Equal($"answered turn-{turn}", Text(Assert.Single(events.OfType<AgentMessageEvent>()).Content));
        }

        return [.. (await h.LogAsync()).Select(e => e.Event)];
    }

    private static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(b => b.Text));
}
