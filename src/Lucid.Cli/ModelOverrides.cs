using System.Text.Json;
using Lucid.Models;
using Lucid.Results;

namespace Lucid.Cli;

/// <summary>
/// The <c>models</c> section of the config file: figures for models the built-in catalog lacks, or corrections to its
/// rows. A model's entry gives any of <c>context_window</c>, <c>max_output_tokens</c> (positive whole numbers, the output
/// below the window) and <c>input_usd_per_mtok</c>, <c>output_usd_per_mtok</c>, <c>cache_read_usd_per_mtok</c>,
/// <c>cache_write_usd_per_mtok</c> (US dollars per million tokens, 0 or more; null forgets a built-in price); what it
/// leaves out keeps the built-in figure, or the unknown-model default.
/// <code>
/// { "models": { "openai/my-model": { "context_window": 32000, "max_output_tokens": 4096, "input_usd_per_mtok": 1.0 } } }
/// </code>
/// </summary>
internal static class ModelOverrides
{
    private static readonly string[] Providers = ["anthropic", "openai", "ollama"];

    private static readonly string[] Fields =
        ["context_window", "max_output_tokens", "input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok", "cache_write_usd_per_mtok"];

    /// <summary>The overrides in the config file at <paramref name="configFilePath"/> (none when it or its section is missing), or the first thing wrong with them.</summary>
    public static Result<IReadOnlyDictionary<string, ModelInfo>> Read(string configFilePath)
    {
        if (!File.Exists(configFilePath))
        {
            return Result<IReadOnlyDictionary<string, ModelInfo>>.Ok(new Dictionary<string, ModelInfo>());
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configFilePath));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("models", out var models)
                ? Parse(models, configFilePath)
                : new Dictionary<string, ModelInfo>();
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return LucidError.Invalid("config", $"{configFilePath} is not a valid Lucid config file: {ex.Message}");
        }
    }

    /// <summary>The overrides in a <c>models</c> section, merged with the built-in catalog; <paramref name="source"/> names the file in messages.</summary>
    public static Result<IReadOnlyDictionary<string, ModelInfo>> Parse(JsonElement models, string source)
    {
        if (models.ValueKind != JsonValueKind.Object)
        {
            return Invalid("models", source, "must be an object whose keys are model strings, such as {\"openai/my-model\": {\"context_window\": 32000}}");
        }

        var overrides = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        foreach (var entry in models.EnumerateObject())
        {
            var path = $"models[\"{entry.Name}\"]";
            if (!NamesProvider(entry.Name))
            {
                return Invalid(path, source, "is not a model string: write anthropic/<model>, openai/<model> or ollama/<model> (a bare claude-* means Anthropic)");
            }

            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                return Invalid(path, source, $"must be an object with any of {string.Join(", ", Fields)}");
            }

            var merged = Merge(entry.Name, entry.Value, source);
            if (!merged.IsSuccess)
            {
                return merged.Error;
            }

            overrides[entry.Name] = merged.Value;
        }

        return overrides;
    }

    // The built-in entry (or the default) with the fields the config file gives.
    private static Result<ModelInfo> Merge(string model, JsonElement entry, string source)
    {
        var builtIn = ModelCatalog.BuiltIn.Get(model);
        var info = builtIn;
        var path = $"models[\"{model}\"]";
        foreach (var field in entry.EnumerateObject())
        {
            var fieldPath = $"{path}.{field.Name}";
            var value = field.Value;
            switch (field.Name)
            {
                case "context_window":
                    if (!Tokens(value, out var window))
                    {
                        return Invalid(fieldPath, source, $"must be a positive whole number of tokens (got {value.GetRawText()})");
                    }

                    info = info with { ContextWindow = window, IsKnown = true };
                    break;
                case "max_output_tokens":
                    if (!Tokens(value, out var output))
                    {
                        return Invalid(fieldPath, source, $"must be a positive whole number of tokens (got {value.GetRawText()})");
                    }

                    info = info with { MaxOutputTokens = output };
                    break;
                case "input_usd_per_mtok" or "output_usd_per_mtok" or "cache_read_usd_per_mtok" or "cache_write_usd_per_mtok":
                    if (!Price(value, out var price))
                    {
                        return Invalid(fieldPath, source, $"must be a price of 0 or more, in US dollars per million tokens, or null (got {value.GetRawText()})");
                    }

                    info = field.Name switch
                    {
                        "input_usd_per_mtok" => info with { InputUsdPerMTok = price },
                        "output_usd_per_mtok" => info with { OutputUsdPerMTok = price },
                        "cache_read_usd_per_mtok" => info with { CacheReadUsdPerMTok = price },
                        _ => info with { CacheWriteUsdPerMTok = price },
                    };
                    break;
                default:
                    return Invalid(fieldPath, source, $"is not a model setting; the settings are {string.Join(", ", Fields)}");
            }
        }

        if (info.MaxOutputTokens >= info.ContextWindow)
        {
            var problem = $"max_output_tokens ({info.MaxOutputTokens}) must be less than context_window ({info.ContextWindow})";
            var unset = entry.TryGetProperty("context_window", out _) ? "max_output_tokens" : "context_window";
            if (!entry.TryGetProperty(unset, out _))
            {
                problem += $"; {unset} is {(builtIn.IsKnown ? "the built-in figure" : "the default for an unknown model")}, so give it too";
            }

            return Invalid(path, source, problem);
        }

        return info;
    }

    private static bool NamesProvider(string model)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? model.StartsWith("claude-", StringComparison.Ordinal)
            : Providers.Contains(model[..slash], StringComparer.Ordinal) && slash < model.Length - 1;
    }

    private static bool Tokens(JsonElement value, out int tokens)
    {
        tokens = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out tokens) && tokens > 0;
    }

    private static bool Price(JsonElement value, out decimal? price)
    {
        price = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0)
        {
            price = number;
            return true;
        }

        return false;
    }

    private static LucidError Invalid(string path, string source, string problem) => LucidError.Invalid(path, $"{path} in {source} {problem}.");
}
