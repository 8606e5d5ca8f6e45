using System.Collections.Concurrent;

namespace Lucid.Models;

/// <summary>
/// Each model's context window, output limit and list prices: overrides over the built-in table, looked up by the
/// longest prefix of the model string (<c>claude-sonnet-4-5-20250929</c> finds <c>claude-sonnet-4-5</c>; a bare
/// <c>claude-*</c> is the same as <c>anthropic/claude-*</c>). A model found nowhere gets a conservative default (a
/// 32,000-token window, 4,096 output tokens, no prices) whose <see cref="ModelInfo.IsKnown"/> is false.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> _models;
    private readonly IModelWindowSource? _windows;
    private readonly ConcurrentDictionary<string, Lazy<Task<int?>>> _windowsAsked = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates a catalog. Each override replaces the built-in entry of the same model string whole (a config file's
    /// partial override is merged with the built-in entry before it comes here); <paramref name="windows"/> is asked for
    /// the context window of models that neither the overrides nor the table know.
    /// </summary>
    /// <exception cref="ArgumentException">An override's figures are impossible: a window or output limit that is not positive, an output limit not below the window, or a negative price.</exception>
    public ModelCatalog(IReadOnlyDictionary<string, ModelInfo>? overrides = null, IModelWindowSource? windows = null)
    {
        _models = new Dictionary<string, ModelInfo>(BuiltInModels.Table, StringComparer.Ordinal);
        foreach (var (model, info) in overrides ?? new Dictionary<string, ModelInfo>())
        {
            ArgumentNullException.ThrowIfNull(info);
            if (info.ContextWindow <= 0 || info.MaxOutputTokens <= 0 || info.MaxOutputTokens >= info.ContextWindow
                || info.InputUsdPerMTok < 0 || info.OutputUsdPerMTok < 0 || info.CacheReadUsdPerMTok < 0 || info.CacheWriteUsdPerMTok < 0)
            {
                throw new ArgumentException($"The override for '{model}' is impossible: {info}.", nameof(overrides));
            }

            _models[ModelNames.Canonical(model)] = info;
        }

        _windows = windows;
    }

    /// <summary>The built-in table alone, with no overrides and no server to ask.</summary>
    public static ModelCatalog BuiltIn { get; } = new();

    /// <summary>What the overrides or the built-in table say of <paramref name="model"/>, or the default for an unknown model.</summary>
    public ModelInfo Get(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = ModelNames.Canonical(model);
        ModelInfo? found = null;
        var longest = -1;
        foreach (var (prefix, info) in _models)
        {
            if (prefix.Length > longest && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                (found, longest) = (info, prefix.Length);
            }
        }

        return found ?? BuiltInModels.Unknown;
    }

    /// <summary>
    /// Like <see cref="Get"/>, but a model whose window is not known is also looked up in the window source (Ollama):
    /// its answer becomes the window (and the output limit is cut to half the window when it is larger). An answer
    /// is asked for once per model and kept; a source that cannot tell is asked again next time.
    /// </summary>
    public async ValueTask<ModelInfo> GetAsync(string model, CancellationToken cancellationToken)
    {
        var info = Get(model);
        if (info.IsKnown || _windows is null)
        {
            return info;
        }

        // The look-up is shared by concurrent callers, so one caller's cancellation must not end it for the others.
        var windows = _windows;
        var asked = _windowsAsked.GetOrAdd(model, m => new Lazy<Task<int?>>(() => AskAsync(windows, m)));
        var window = await asked.Value.WaitAsync(cancellationToken);
        if (window is not { } tokens)
        {
            _windowsAsked.TryRemove(KeyValuePair.Create(model, asked));
            return info;
        }

        return info with { ContextWindow = tokens, MaxOutputTokens = Math.Min(info.MaxOutputTokens, tokens / 2), IsKnown = true };
    }

    private static async Task<int?> AskAsync(IModelWindowSource windows, string model)
    {
        try
        {
            var tokens = await windows.ContextWindowAsync(model, CancellationToken.None);
            return tokens > 1 ? tokens : null;
        }
        catch (Exception)
        {
            // A source that breaks its promise not to throw costs the model its window, not the session its turn.
            return null;
        }
    }
}
