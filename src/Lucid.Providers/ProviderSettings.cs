using System.Text.Json;
using Lucid.Results;
using Lucid.Secrets;

namespace Lucid.Providers;

/// <summary>
/// Keys, base URLs and retry settings of the model providers. Read from environment variables
/// (<c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_BASE_URL</c>, <c>OPENAI_API_KEY</c>, <c>OPENAI_BASE_URL</c>, <c>OLLAMA_HOST</c>) over a
/// JSON config file:
/// <code>
/// { "providers": {
///     "anthropic": { "api_key": "…", "base_url": "…" },
///     "openai":    { "api_key": "…", "base_url": "http://localhost:8000/v1" },
///     "ollama":    { "host": "http://localhost:11434" } } }
/// </code>
/// </summary>
public sealed record ProviderSettings
{
    /// <summary>The Anthropic API key.</summary>
    public string? AnthropicApiKey { get; init; }

    /// <summary>The Anthropic API's base URL, or null for the SDK's default.</summary>
    public string? AnthropicBaseUrl { get; init; }

    /// <summary>The OpenAI API key (any value for a local OpenAI-compatible server that ignores it).</summary>
    public string? OpenAIApiKey { get; init; }

    /// <summary>The base URL of the OpenAI API or of any OpenAI-compatible server (vLLM, llama.cpp, LM Studio), including <c>/v1</c>.</summary>
    public string? OpenAIBaseUrl { get; init; }

    /// <summary>The Ollama server. Defaults to <c>http://localhost:11434</c>.</summary>
    public string OllamaHost { get; init; } = "http://localhost:11434";

    /// <summary>How many times a transient failure (408, 429, 5xx incl. 529, a dropped connection, a timeout) is retried. Defaults to 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry's delay, doubled each time with jitter, unless the provider's <c>retry-after</c> says otherwise. Defaults to 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts. Defaults to 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take to answer. Defaults to 10 minutes.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The output token limit sent to providers that require one (Anthropic). Defaults to 8,192.</summary>
    public int MaxOutputTokens { get; init; } = 8192;

    /// <summary>The API keys set here, as secrets that dreams redact and refuse to write whatever their shape.</summary>
    public IReadOnlyList<KnownSecret> KnownSecrets()
    {
        var secrets = new List<KnownSecret>();
        if (!string.IsNullOrWhiteSpace(AnthropicApiKey))
        {
            secrets.Add(new KnownSecret("configured Anthropic API key", AnthropicApiKey));
        }

        if (!string.IsNullOrWhiteSpace(OpenAIApiKey))
        {
            secrets.Add(new KnownSecret("configured OpenAI API key", OpenAIApiKey));
        }

        return secrets;
    }

    /// <summary>Reads settings from environment variables over the config file; a missing file is fine, a malformed one is an error.</summary>
    public static Result<ProviderSettings> FromEnvironment(IReadOnlyDictionary<string, string?> environment, string? configFilePath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new ProviderSettings();
        if (configFilePath is not null && File.Exists(configFilePath))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(configFilePath));
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("providers", out var providers))
                {
                    settings = settings with
                    {
                        AnthropicApiKey = Field(providers, "anthropic", "api_key"),
                        AnthropicBaseUrl = Field(providers, "anthropic", "base_url"),
                        OpenAIApiKey = Field(providers, "openai", "api_key"),
                        OpenAIBaseUrl = Field(providers, "openai", "base_url"),
                        OllamaHost = Field(providers, "ollama", "host") ?? settings.OllamaHost,
                    };
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException)
            {
                return LucidError.Invalid("config", $"{configFilePath} is not a valid Lucid config file: {ex.Message}");
            }
        }

        string? Env(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        return settings with
        {
            AnthropicApiKey = Env("ANTHROPIC_API_KEY") ?? settings.AnthropicApiKey,
            AnthropicBaseUrl = Env("ANTHROPIC_BASE_URL") ?? settings.AnthropicBaseUrl,
            OpenAIApiKey = Env("OPENAI_API_KEY") ?? settings.OpenAIApiKey,
            OpenAIBaseUrl = Env("OPENAI_BASE_URL") ?? settings.OpenAIBaseUrl,
            OllamaHost = Env("OLLAMA_HOST") ?? settings.OllamaHost,
        };
    }

    private static string? Field(JsonElement providers, string provider, string name) =>
        providers.ValueKind == JsonValueKind.Object
        && providers.TryGetProperty(provider, out var section)
        && section.ValueKind == JsonValueKind.Object
        && section.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidOperationException($"providers.{provider}.{name} must be a string.")
            : null;
}
