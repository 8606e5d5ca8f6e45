using Lucid.Models;

namespace Lucid.Core.Tests.Models;

public sealed class ModelCatalogTests
{
    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("anthropic/claude-sonnet-4-5-20250929")]
    public void Get_finds_a_model_with_or_without_its_provider_and_by_its_dated_id(string model)
    {
        var info = ModelCatalog.BuiltIn.Get(model);

        Assert.Equal(
            new ModelInfo { ContextWindow = 200_000, MaxOutputTokens = 64_000, InputUsdPerMTok = 3m, OutputUsdPerMTok = 15m, CacheReadUsdPerMTok = 0.30m, CacheWriteUsdPerMTok = 3.75m, IsKnown = true },
            info);
    }

    [Theory]
    [InlineData("claude-opus-4-5-20251101", 5, 64_000)]
    [InlineData("claude-opus-4-1-20250805", 15, 32_000)]
    [InlineData("claude-opus-4-20250514", 15, 32_000)]
    [InlineData("claude-opus-4-0", 15, 32_000)]
    [InlineData("claude-3-5-haiku-latest", 0.80, 8_192)]
    [InlineData("openai/gpt-4o-2024-08-06", 2.50, 16_384)]
    [InlineData("openai/gpt-4o-2024-05-13", 5, 4_096)]
    [InlineData("openai/gpt-4o-mini-2024-07-18", 0.15, 16_384)]
    [InlineData("openai/gpt-4.1-mini-2025-04-14", 0.40, 32_768)]
    [InlineData("openai/gpt-5-2025-08-07", 1.25, 128_000)]
    [InlineData("openai/gpt-5-chat-latest", 1.25, 16_384)]
    [InlineData("openai/o3-pro", 20, 100_000)]
    [InlineData("openai/o3-2025-04-16", 2, 100_000)]
    public void Get_takes_the_longest_prefix_that_starts_the_model_string(string model, double inputPrice, int maxOutput)
    {
        var info = ModelCatalog.BuiltIn.Get(model);

        Assert.True(info.IsKnown);
        Assert.Equal((decimal)inputPrice, info.InputUsdPerMTok);
        Assert.Equal(maxOutput, info.MaxOutputTokens);
    }

    [Theory]
    [InlineData("ollama/qwen3")]
    [InlineData("openai/my-local-model")]
    [InlineData("mistral/large")]
    [InlineData("gpt-4o")] // a bare name other than claude-* names no provider
    [InlineData("")]
    public void An_unknown_model_gets_the_conservative_default(string model)
    {
        var info = ModelCatalog.BuiltIn.Get(model);

        Assert.Equal(new ModelInfo { ContextWindow = 32_000, MaxOutputTokens = 4_096, IsKnown = false }, info);
    }

    [Fact]
    public void An_override_replaces_its_model_with_or_without_the_provider_and_leaves_longer_built_in_prefixes_alone()
    {
        var sonnet = new ModelInfo { ContextWindow = 1_000_000, MaxOutputTokens = 64_000, InputUsdPerMTok = 6m, IsKnown = true };
        var opus = new ModelInfo { ContextWindow = 200_000, MaxOutputTokens = 32_000, InputUsdPerMTok = 1m, IsKnown = true };
        var mine = new ModelInfo { ContextWindow = 8_192, MaxOutputTokens = 1_024, IsKnown = true };
        var catalog = new ModelCatalog(new Dictionary<string, ModelInfo>
        {
            ["claude-sonnet-4-5"] = sonnet,
            ["anthropic/claude-opus-4"] = opus,
            ["openai/my-model"] = mine,
        });

        Assert.Same(sonnet, catalog.Get("anthropic/claude-sonnet-4-5-20250929"));
        Assert.Same(opus, catalog.Get("claude-opus-4-20250514"));
        Assert.Equal(5m, catalog.Get("claude-opus-4-5").InputUsdPerMTok);
        Assert.Same(mine, catalog.Get("openai/my-model"));
        Assert.Equal(3m, catalog.Get("claude-sonnet-4-20250514").InputUsdPerMTok);
        Assert.Equal(3m, ModelCatalog.BuiltIn.Get("claude-sonnet-4-5").InputUsdPerMTok);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1_000, 0)]
    [InlineData(1_000, 1_000)]
    public void An_impossible_override_is_refused(int window, int output)
    {
        var overrides = new Dictionary<string, ModelInfo> { ["openai/my-model"] = new() { ContextWindow = window, MaxOutputTokens = output } };

        var error = Assert.Throws<ArgumentException>(() => new ModelCatalog(overrides));

        Assert.Contains("openai/my-model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_price_in_an_override_is_refused()
    {
        var overrides = new Dictionary<string, ModelInfo> { ["openai/my-model"] = new() { ContextWindow = 1_000, MaxOutputTokens = 100, OutputUsdPerMTok = -1m } };

        Assert.Throws<ArgumentException>(() => new ModelCatalog(overrides));
    }

    [Fact]
    public async Task GetAsync_asks_the_window_source_once_per_model_and_keeps_its_answer()
    {
        var source = new FakeWindowSource { Answer = model => model == "ollama/qwen3" ? 40_960 : null };
        var catalog = new ModelCatalog(windows: source);

        var first = await catalog.GetAsync("ollama/qwen3", CancellationToken.None);
        var again = await catalog.GetAsync("ollama/qwen3", CancellationToken.None);

        Assert.Equal(new ModelInfo { ContextWindow = 40_960, MaxOutputTokens = 4_096, IsKnown = true }, first);
        Assert.Equal(first, again);
        Assert.Equal(["ollama/qwen3"], source.Asked);
        Assert.Equal(32_000, catalog.Get("ollama/qwen3").ContextWindow);
    }

    [Fact]
    public async Task GetAsync_does_not_ask_about_a_model_the_table_knows()
    {
        var source = new FakeWindowSource { Answer = _ => 1_000 };
        var catalog = new ModelCatalog(windows: source);

        var info = await catalog.GetAsync("claude-haiku-4-5", CancellationToken.None);

        Assert.Equal(200_000, info.ContextWindow);
        Assert.Empty(source.Asked);
    }

    [Fact]
    public async Task GetAsync_gives_the_default_when_the_source_cannot_tell_and_asks_again_next_time()
    {
        int? answer = null;
        var source = new FakeWindowSource { Answer = _ => answer };
        var catalog = new ModelCatalog(windows: source);

        var unknown = await catalog.GetAsync("ollama/llama3", CancellationToken.None);
        answer = 6_000;
        var known = await catalog.GetAsync("ollama/llama3", CancellationToken.None);

        Assert.Equal(ModelCatalog.BuiltIn.Get("ollama/llama3"), unknown);
        Assert.Equal(new ModelInfo { ContextWindow = 6_000, MaxOutputTokens = 3_000, IsKnown = true }, known);
        Assert.Equal(2, source.Asked.Count);
    }

    [Fact]
    public async Task GetAsync_gives_the_default_when_the_source_throws()
    {
        var catalog = new ModelCatalog(windows: new FakeWindowSource { Answer = _ => throw new HttpRequestException("refused") });

        var info = await catalog.GetAsync("ollama/qwen3", CancellationToken.None);

        Assert.False(info.IsKnown);
        Assert.Equal(32_000, info.ContextWindow);
    }

    [Fact]
    public async Task GetAsync_keeps_an_overrides_prices_and_takes_the_window_from_the_source()
    {
        var priced = new ModelInfo { ContextWindow = 32_000, MaxOutputTokens = 4_096, InputUsdPerMTok = 0m, OutputUsdPerMTok = 0m };
        var catalog = new ModelCatalog(new Dictionary<string, ModelInfo> { ["ollama/qwen3"] = priced }, new FakeWindowSource { Answer = _ => 131_072 });

        var info = await catalog.GetAsync("ollama/qwen3:8b", CancellationToken.None);

        Assert.Equal(priced with { ContextWindow = 131_072, IsKnown = true }, info);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_look_up_for_the_others()
    {
        var answer = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeWindowSource { AnswerAsync = (_, cancellationToken) => answer.Task.WaitAsync(cancellationToken) };
        var catalog = new ModelCatalog(windows: source);
        using var impatient = new CancellationTokenSource();

        var first = catalog.GetAsync("ollama/qwen3", impatient.Token).AsTask();
        var second = catalog.GetAsync("ollama/qwen3", CancellationToken.None).AsTask();
        await impatient.CancelAsync();
        answer.SetResult(16_384);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(16_384, (await second).ContextWindow);
        Assert.Single(source.Asked);
    }

    [Fact]
    public void A_requests_list_cost_prices_cache_reads_and_writes_apart_from_the_rest_of_the_prompt()
    {
        // Input tokens are the whole prompt: 500,000 uncached at $3, 400,000 read from the cache at $0.30 and 100,000
        // written to it at $3.75 per million, and 100,000 output tokens at $15.
        var usage = new Lucid.Sessions.SessionUsage { InputTokens = 1_000_000, CacheReadInputTokens = 400_000, CacheCreationInputTokens = 100_000, OutputTokens = 100_000 };

        Assert.Equal(1.5m + 0.12m + 0.375m + 1.5m, ModelCatalog.BuiltIn.Get("anthropic/claude-sonnet-4-5").ListCostUsd(usage));
        // Without a cache price, cached tokens cost what input does; without prices, nothing is known.
        Assert.Equal(3m + 1.5m, new ModelInfo { ContextWindow = 8_000, MaxOutputTokens = 1_000, InputUsdPerMTok = 3m, OutputUsdPerMTok = 15m }.ListCostUsd(usage));
        Assert.Null(ModelCatalog.BuiltIn.Get("ollama/llama3").ListCostUsd(usage));
        Assert.False(ModelCatalog.BuiltIn.Get("ollama/llama3").IsPriced);
    }

    private sealed class FakeWindowSource : IModelWindowSource
    {
        public Func<string, int?> Answer { get; init; } = _ => null;

        public Func<string, CancellationToken, Task<int?>>? AnswerAsync { get; init; }

        public List<string> Asked { get; } = [];

        public async ValueTask<int?> ContextWindowAsync(string model, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(model);
            }

            return AnswerAsync is null ? Answer(model) : await AnswerAsync(model, cancellationToken);
        }
    }
}
