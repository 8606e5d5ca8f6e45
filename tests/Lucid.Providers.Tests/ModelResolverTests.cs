using Lucid.Results;

namespace Lucid.Providers.Tests;

public sealed class ModelResolverTests
{
    private static readonly ProviderSettings Keys = new() { AnthropicApiKey = "a", OpenAIApiKey = "o" };

    [Theory]
    [InlineData("foo/bar", "Unknown provider 'foo'")]
    [InlineData("gpt-4.1", "names no provider")]
    [InlineData("openai/", "names no model")]
    public void Unknown_or_incomplete_model_strings_are_invalid_with_a_clear_message(string model, string message)
    {
        var result = new ModelResolver(Keys).Resolve(model);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.InvalidRequest, result.Error.Kind);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai/gpt-4.1", "OPENAI_API_KEY")]
    [InlineData("anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY")]
    [InlineData("claude-sonnet-4-5", "ANTHROPIC_API_KEY")]
    public void A_missing_key_names_the_variable_to_set(string model, string variable)
    {
        var result = new ModelResolver(new ProviderSettings()).Resolve(model);

        Assert.False(result.IsSuccess);
        Assert.Contains(variable, result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("config", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ollama_needs_no_key_and_clients_are_created_once_per_model()
    {
        using var resolver = new ModelResolver(new ProviderSettings());

        var first = resolver.Resolve("ollama/qwen3");
        var again = resolver.Resolve("ollama/qwen3");

        Assert.True(first.IsSuccess);
        Assert.Same(first.Value, again.Value);
    }

    [Fact]
    public void Environment_variables_override_the_config_file_and_a_malformed_file_is_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("lucid-config-").FullName;
        try
        {
            var config = Path.Combine(directory, "config.json");
            File.WriteAllText(config, """{"providers":{"openai":{"api_key":"from-file","base_url":"http://file/v1"},"ollama":{"host":"gpu-box:11434"}}}""");

            var settings = ProviderSettings.FromEnvironment(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "from-env" }, config);

            Assert.Equal("from-env", settings.Value?.OpenAIApiKey);
            Assert.Equal("http://file/v1", settings.Value?.OpenAIBaseUrl);
            Assert.Equal("gpu-box:11434", settings.Value?.OllamaHost);

            File.WriteAllText(config, "{ not json");
            var broken = ProviderSettings.FromEnvironment(new Dictionary<string, string?>(), config);
            Assert.False(broken.IsSuccess);
            Assert.Contains("config.json", broken.Error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
