using Lucid.Models;
using Lucid.Providers;
using Lucid.Testing.Providers;
using Spectre.Console;

namespace Lucid.Cli.Tests;

public sealed class ModelOverridesTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string ConfigPath => Path.Combine(_cli.Home, "config.json");

    private CliContext Context(params (string Name, string Value)[] environment) => new()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }),
        Environment = environment.Append(("LUCID_HOME", _cli.Home)).ToDictionary(e => e.Item1, e => (string?)e.Item2, StringComparer.Ordinal),
    };

    [Fact]
    public void An_override_replaces_only_the_fields_it_gives_and_adds_models_the_catalog_lacks()
    {
        File.WriteAllText(ConfigPath, """
            {
              "providers": { "openai": { "api_key": "sk-local" } },
              "models": {
                "claude-sonnet-4-5": { "input_usd_per_mtok": 2.5, "cache_write_usd_per_mtok": null },
                "openai/my-model": { "context_window": 32000, "max_output_tokens": 4096, "input_usd_per_mtok": 1.0, "output_usd_per_mtok": 4.0 },
                "ollama/qwen3": { "output_usd_per_mtok": 0 }
              }
            }
            """);

        var catalog = LocalServices.Catalog(Context(), windows: null);

        Assert.True(catalog.IsSuccess, catalog.Error?.Message);
        var sonnet = catalog.Value.Get("anthropic/claude-sonnet-4-5-20250929");
        Assert.Equal(ModelCatalog.BuiltIn.Get("claude-sonnet-4-5") with { InputUsdPerMTok = 2.5m, CacheWriteUsdPerMTok = null }, sonnet);
        Assert.Equal(
            new ModelInfo { ContextWindow = 32_000, MaxOutputTokens = 4_096, InputUsdPerMTok = 1.0m, OutputUsdPerMTok = 4.0m, IsKnown = true },
            catalog.Value.Get("openai/my-model"));
        Assert.Equal(new ModelInfo { ContextWindow = 32_000, MaxOutputTokens = 4_096, OutputUsdPerMTok = 0m, IsKnown = false }, catalog.Value.Get("ollama/qwen3"));
        Assert.Equal(3m, catalog.Value.Get("claude-sonnet-4-20250514").InputUsdPerMTok);
    }

    [Fact]
    public void A_config_file_without_models_or_no_config_file_gives_the_built_in_catalog()
    {
        var none = LocalServices.Catalog(Context(), windows: null);
        File.WriteAllText(ConfigPath, """{"providers":{}}""");
        var without = LocalServices.Catalog(Context(), windows: null);

        Assert.Equal(ModelCatalog.BuiltIn.Get("openai/gpt-4o"), none.Value?.Get("openai/gpt-4o"));
        Assert.Equal(ModelCatalog.BuiltIn.Get("ollama/qwen3"), without.Value?.Get("ollama/qwen3"));
    }

    [Theory]
    [InlineData("""[]""", "models in", "must be an object whose keys are model strings")]
    [InlineData("""{"gpt-4o":{}}""", "models[\"gpt-4o\"] in", "is not a model string")]
    [InlineData("""{"mistral/large":{}}""", "models[\"mistral/large\"] in", "is not a model string")]
    [InlineData("""{"openai/x":5}""", "models[\"openai/x\"] in", "must be an object with any of context_window")]
    [InlineData("""{"openai/x":{"context_window":-5}}""", "models[\"openai/x\"].context_window in", "must be a positive whole number of tokens (got -5)")]
    [InlineData("""{"openai/x":{"context_window":1.5}}""", "models[\"openai/x\"].context_window in", "must be a positive whole number of tokens (got 1.5)")]
    [InlineData("""{"openai/x":{"context_window":"32000"}}""", "models[\"openai/x\"].context_window in", "must be a positive whole number of tokens (got \"32000\")")]
    [InlineData("""{"openai/x":{"max_output_tokens":0}}""", "models[\"openai/x\"].max_output_tokens in", "must be a positive whole number of tokens (got 0)")]
    [InlineData("""{"openai/x":{"input_usd_per_mtok":-1}}""", "models[\"openai/x\"].input_usd_per_mtok in", "must be a price of 0 or more")]
    [InlineData("""{"openai/x":{"cache_read_usd_per_mtok":"0.1"}}""", "models[\"openai/x\"].cache_read_usd_per_mtok in", "must be a price of 0 or more")]
    [InlineData("""{"openai/x":{"context_windw":8000}}""", "models[\"openai/x\"].context_windw in", "is not a model setting")]
    [InlineData("""{"openai/x":{"context_window":8000,"max_output_tokens":8000}}""", "models[\"openai/x\"] in", "max_output_tokens (8000) must be less than context_window (8000).")]
    [InlineData("""{"claude-3-5-haiku":{"max_output_tokens":300000}}""", "models[\"claude-3-5-haiku\"] in", "context_window is the built-in figure, so give it too")]
    [InlineData("""{"openai/x":{"max_output_tokens":40000}}""", "models[\"openai/x\"] in", "context_window is the default for an unknown model, so give it too")]
    [InlineData("""{"openai/gpt-4o":{"context_window":16000}}""", "models[\"openai/gpt-4o\"] in", "max_output_tokens (16384) must be less than context_window (16000); max_output_tokens is the built-in figure")]
    public void An_invalid_models_section_is_an_error_naming_the_key(string models, string path, string problem)
    {
        File.WriteAllText(ConfigPath, $$"""{"models": {{models}}}""");

        var catalog = LocalServices.Catalog(Context(), windows: null);

        Assert.False(catalog.IsSuccess);
        Assert.StartsWith($"{path} {ConfigPath} ", catalog.Error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, catalog.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_and_serve_refuse_an_invalid_models_section_before_they_start()
    {
        File.WriteAllText(ConfigPath, """{"models": {"openai/x": {"context_window": 0}}}""");
        _cli.Environment["OPENAI_API_KEY"] = "sk-local";

        var (runExit, run) = await _cli.RunAsync("run", "--model", "openai/x", "hello");
        // An address no server can listen on: were the models section accepted, serve would fail at once instead of serving.
        var (serveExit, serve) = await _cli.RunAsync("serve", "--urls", "http://127.0.0.1:99999");

        Assert.Equal(2, runExit);
        Assert.Contains("error: models[\"openai/x\"].context_window in", run, StringComparison.Ordinal);
        Assert.DoesNotContain("session", run, StringComparison.Ordinal);
        Assert.Equal(2, serveExit);
        Assert.Contains("error: models[\"openai/x\"].context_window in", serve, StringComparison.Ordinal);
        Assert.DoesNotContain("Lucid is serving", serve, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ollama_models_window_comes_from_the_server_and_its_prices_from_the_config_file()
    {
        await using var ollama = new FakeOllamaServer();
        await ollama.StartAsync();
        ollama.ReplyShow("qwen3", contextLength: 40_960, numCtx: 16_384);
        File.WriteAllText(ConfigPath, """{"providers": {"ollama": {"host": "nowhere:1"}}, "models": {"ollama/qwen3": {"input_usd_per_mtok": 0, "output_usd_per_mtok": 0}}}""");
        var context = Context(("OLLAMA_HOST", ollama.BaseUrl));
        using var windows = new OllamaModelWindows(LocalServices.Providers(context).Value ?? throw new InvalidOperationException("no settings"));

        var catalog = LocalServices.Catalog(context, windows);
        var qwen = await (catalog.Value ?? throw new InvalidOperationException(catalog.Error?.Message)).GetAsync("ollama/qwen3", CancellationToken.None);

        Assert.Equal(new ModelInfo { ContextWindow = 16_384, MaxOutputTokens = 4_096, InputUsdPerMTok = 0m, OutputUsdPerMTok = 0m, IsKnown = true }, qwen);
    }
}
