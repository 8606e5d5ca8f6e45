using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Anthropic;
using Anthropic.Core;
using Lucid.Models;
using Lucid.Results;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Lucid.Providers;

/// <summary>
/// Resolves model strings to chat clients: <c>anthropic/&lt;model&gt;</c> and bare <c>claude-*</c> (official Anthropic
/// SDK), <c>openai/&lt;model&gt;</c> (official OpenAI SDK; any OpenAI-compatible server through <c>OPENAI_BASE_URL</c>), and
/// <c>ollama/&lt;model&gt;</c> (OllamaSharp). Clients are created once per model string and shared.
/// </summary>
public sealed class ModelResolver : IChatClientResolver, IDisposable
{
    private readonly ProviderSettings _settings;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<Result<IChatClient>>> _clients = new(StringComparer.Ordinal);
    private readonly Lazy<HttpClient> _http;
    private readonly ConcurrentBag<HttpClient> _ollamaHttp = [];

    /// <summary>Creates a resolver.</summary>
    public ModelResolver(ProviderSettings settings, TimeProvider? timeProvider = null)
    {
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _http = new Lazy<HttpClient>(() => ProviderHttp.Create(_settings, _time));
    }

    /// <inheritdoc />
    public Result<IChatClient> Resolve(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _clients.GetOrAdd(model, m => new Lazy<Result<IChatClient>>(() => Create(m))).Value;
    }

    private Result<IChatClient> Create(string model)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        var (provider, name) = slash < 0
            ? (model.StartsWith("claude-", StringComparison.Ordinal) ? "anthropic" : "", model)
            : (model[..slash], model[(slash + 1)..]);
        if (provider.Length == 0)
        {
            return LucidError.Invalid("model", $"'{model}' names no provider; write anthropic/<model>, openai/<model> or ollama/<model> (a bare claude-* means Anthropic).");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return LucidError.Invalid("model", $"'{model}' names no model after '{provider}/'.");
        }

        return provider switch
        {
            "anthropic" => Anthropic(name),
            "openai" => OpenAI(name),
            "ollama" => Ollama(name),
            _ => LucidError.Invalid("model", $"Unknown provider '{provider}' in model '{model}'; use anthropic/, openai/ or ollama/."),
        };
    }

    private Result<IChatClient> Anthropic(string model)
    {
        if (string.IsNullOrWhiteSpace(_settings.AnthropicApiKey))
        {
            return LucidError.Invalid("model", "ANTHROPIC_API_KEY is not set: set it, or providers.anthropic.api_key in the config file ($LUCID_HOME/config.json).");
        }

        var options = new ClientOptions { ApiKey = _settings.AnthropicApiKey, MaxRetries = 0, HttpClient = _http.Value };
        if (!string.IsNullOrWhiteSpace(_settings.AnthropicBaseUrl))
        {
            options = options with { BaseUrl = _settings.AnthropicBaseUrl };
        }

        IChatClient client = new AnthropicClient(options).AsIChatClient(model, _settings.MaxOutputTokens);
        return new ProviderErrorChatClient(new AnthropicEffortChatClient(client, model, _settings.MaxOutputTokens), "Anthropic", _settings.MaxRetries);
    }

    private Result<IChatClient> OpenAI(string model)
    {
        if (string.IsNullOrWhiteSpace(_settings.OpenAIApiKey))
        {
            return LucidError.Invalid("model",
                "OPENAI_API_KEY is not set: set it, or providers.openai.api_key in the config file ($LUCID_HOME/config.json). A local OpenAI-compatible server (set OPENAI_BASE_URL) accepts any value.");
        }

        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(_http.Value),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(_settings.OpenAIBaseUrl))
        {
            if (!Uri.TryCreate(_settings.OpenAIBaseUrl, UriKind.Absolute, out var endpoint))
            {
                return LucidError.Invalid("model", $"OPENAI_BASE_URL '{_settings.OpenAIBaseUrl}' is not an absolute URL.");
            }

            options.Endpoint = endpoint;
        }

        var client = new OpenAIClient(new ApiKeyCredential(_settings.OpenAIApiKey), options).GetChatClient(model).AsIChatClient();
        return new ProviderErrorChatClient(client, "OpenAI", _settings.MaxRetries);
    }

    private Result<IChatClient> Ollama(string model)
    {
        if (OllamaAddress.From(_settings.OllamaHost) is not { } uri)
        {
            return LucidError.Invalid("model", $"OLLAMA_HOST '{_settings.OllamaHost}' is not a valid address.");
        }

        // OllamaSharp takes the base address from its HttpClient, so each host gets its own; the resolver disposes them.
        var http = ProviderHttp.Create(_settings, _time);
        http.BaseAddress = uri;
        _ollamaHttp.Add(http);
        return new ProviderErrorChatClient(new OllamaApiClient(http, model), "Ollama", _settings.MaxRetries);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated).Select(c => c.Value).Where(r => r.IsSuccess))
        {
            client.Value?.Dispose();
        }

        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        foreach (var http in _ollamaHttp)
        {
            http.Dispose();
        }
    }
}
