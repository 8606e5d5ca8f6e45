using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Lucid.Models;
using OllamaSharp;
using OllamaSharp.Models;

namespace Lucid.Providers;

/// <summary>
/// The context window Ollama runs each <c>ollama/…</c> model with, from its <c>/api/show</c>: the <c>num_ctx</c>
/// parameter when the model's Modelfile sets one (the server uses it), otherwise the model's own
/// <c>&lt;architecture&gt;.context_length</c>. An answer is kept per model. A look-up that fails — no server, an unknown
/// model, a reply with neither figure, no answer within 10 seconds — gives null and is tried again next time; it never
/// throws, except for the caller's own cancellation.
/// </summary>
public sealed class OllamaModelWindows : IModelWindowSource, IDisposable
{
    /// <summary>How long one look-up may take.</summary>
    public static readonly TimeSpan LookUpTimeout = TimeSpan.FromSeconds(10);

    private const string Prefix = "ollama/";

    private readonly HttpClient? _http;
    private readonly OllamaApiClient? _client;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, int> _windows = new(StringComparer.Ordinal);

    /// <summary>Creates the source for the Ollama server of <paramref name="settings"/> (<c>OLLAMA_HOST</c>).</summary>
    public OllamaModelWindows(ProviderSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _time = timeProvider ?? TimeProvider.System;
        if (OllamaAddress.From(settings.OllamaHost) is { } address)
        {
            // No retries: a window that cannot be had at once is worth less than the turn that waits for it.
            _http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
            _client = new OllamaApiClient(_http);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int?> ContextWindowAsync(string model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_client is null || !model.StartsWith(Prefix, StringComparison.Ordinal) || model.Length == Prefix.Length)
        {
            return null;
        }

        var name = model[Prefix.Length..];
        if (_windows.TryGetValue(name, out var known))
        {
            return known;
        }

        using var timeout = new CancellationTokenSource(LookUpTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var show = await _client.ShowModelAsync(new ShowModelRequest { Model = name }, linked.Token);
            if (Window(show) is not { } window)
            {
                return null;
            }

            _windows[name] = window;
            return window;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client?.Dispose();
        _http?.Dispose();
    }

    private static int? Window(ShowModelResponse show)
    {
        if (NumCtx(show.Parameters) is { } numCtx)
        {
            return numCtx;
        }

        var extra = show.Info?.ExtraInfo;
        if (extra is null)
        {
            return null;
        }

        // The key is named after the architecture (qwen3.context_length, llama.context_length).
        if (show.Info?.Architecture is { Length: > 0 } architecture && extra.TryGetValue(architecture + ".context_length", out var value))
        {
            return Positive(value);
        }

        var lengths = extra.Where(e => e.Key.EndsWith(".context_length", StringComparison.Ordinal)).ToList();
        return lengths.Count == 1 ? Positive(lengths[0].Value) : null;
    }

    // Modelfile parameters, one per line: "num_ctx                        8192".
    private static int? NumCtx(string? parameters)
    {
        foreach (var line in (parameters ?? "").Split('\n'))
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts is ["num_ctx", var number] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) && tokens > 0)
            {
                return tokens;
            }
        }

        return null;
    }

    private static int? Positive(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var tokens) && tokens > 0 => tokens,
        int tokens when tokens > 0 => tokens,
        long tokens when tokens is > 0 and <= int.MaxValue => (int)tokens,
        _ => null,
    };
}
