using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>
/// A provider whose model has a small context window, for a fake server's <see cref="FakeProviderServer.Fallback"/>: it
/// counts a request's tokens as its body's characters divided by four, answers the provider's own "too long" error
/// (Anthropic's or OpenAI's wording and shape) above the window, and otherwise plays an agent that runs one
/// <c>bash</c> command per user turn (<see cref="Command"/>, printing 2–4 kB) and then answers "answered turn-N". A
/// compaction's summarizing request gets a short summary.
/// </summary>
public sealed class ContextLimitedModel(int window, bool statesWindow = true)
{
    private readonly ConcurrentQueue<(int Tokens, bool Summary)> _requests = new();
    private int _tooLong;
    private int _summaries;
    private int _ids;
    private int _turns;

    /// <summary>The tokens of every request that reached the model (not refused as too long), in order.</summary>
    public IReadOnlyList<int> RequestTokens => [.. _requests.Select(r => r.Tokens)];

    /// <summary>Every request that reached the model, in order: its tokens, and whether it asked for a summary.</summary>
    public IReadOnlyList<(int Tokens, bool Summary)> Requests => [.. _requests];

    /// <summary>How many requests were refused as too long.</summary>
    public int TooLongAnswers => Volatile.Read(ref _tooLong);

    /// <summary>How many summarizing requests were answered.</summary>
    public int Summaries => Volatile.Read(ref _summaries);

    /// <summary>The window.</summary>
    public int Window => window;

    /// <summary>The command the agent runs in turn <paramref name="turn"/>: its label, then 2, 3 or 4 kB.</summary>
    public static string Command(int turn) => $"echo turn-{turn}; head -c {2000 + (turn % 3 * 1000)} /dev/zero | tr '\\0' x; echo";

    /// <summary>Answers in the Anthropic Messages API's format.</summary>
    public Task AnthropicAsync(RecordedRequest request, HttpResponse response)
    {
        var body = request.Json?.AsObject() ?? [];
        var tokens = request.Body.Length / 4;
        if (tokens > window)
        {
            Interlocked.Increment(ref _tooLong);
            var message = statesWindow ? $"prompt is too long: {tokens} tokens > {window} maximum" : "prompt is too long";
            return FakeAnthropicServer.WriteErrorAsync(response, 400, "invalid_request_error", message);
        }

        var system = body["system"] is JsonArray blocks ? string.Concat(blocks.Select(b => b?["text"]?.GetValue<string>())) : body["system"]?.GetValue<string>() ?? "";
        var last = (body["messages"] as JsonArray)?.LastOrDefault();
        var result = (last?["content"] as JsonArray)?.FirstOrDefault(b => b?["type"]?.GetValue<string>() == "tool_result");
        var resultText = result?["content"] is JsonArray parts ? string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())) : result?["content"]?.GetValue<string>();
        _requests.Enqueue((tokens, IsSummary(system)));
        return Decide(system, resultText) switch
        {
            (_, int turn) => FakeAnthropicServer.WriteToolUseAsync(request, response, $"toolu_{Interlocked.Increment(ref _ids):D5}", "bash", new { command = Command(turn) }, tokens, 20),
            (var text, _) => FakeAnthropicServer.WriteTextAsync(request, response, text ?? "", tokens, 20),
        };
    }

    /// <summary>Answers in the OpenAI Chat Completions API's format.</summary>
    public Task OpenAIAsync(RecordedRequest request, HttpResponse response)
    {
        var body = request.Json?.AsObject() ?? [];
        var tokens = request.Body.Length / 4;
        if (tokens > window)
        {
            Interlocked.Increment(ref _tooLong);
            var message = statesWindow
                ? $"This model's maximum context length is {window} tokens. However, your messages resulted in {tokens} tokens. Please reduce the length of the messages."
                : "Your input exceeds the context window of this model. Please adjust your input and try again.";
            return FakeOpenAIServer.WriteErrorAsync(response, 400, "invalid_request_error", "context_length_exceeded", message);
        }

        var messages = body["messages"] as JsonArray ?? [];
        var system = string.Concat(messages.Where(m => m?["role"]?.GetValue<string>() is "system" or "developer").Select(m => Text(m?["content"])));
        var last = messages.LastOrDefault();
        var resultText = last?["role"]?.GetValue<string>() == "tool" ? Text(last["content"]) : null;
        _requests.Enqueue((tokens, IsSummary(system)));
        return Decide(system, resultText) switch
        {
            (_, int turn) => FakeOpenAIServer.WriteToolCallAsync(request, response, $"call_{Interlocked.Increment(ref _ids):D5}", "bash", new { command = Command(turn) }, tokens, 20),
            (var text, _) => FakeOpenAIServer.WriteTextAsync(request, response, text ?? "", tokens, 20),
        };
    }

    private static bool IsSummary(string system) => system.Contains("You compact the context", StringComparison.Ordinal);

    private static string Text(JsonNode? content) =>
        content is JsonArray parts ? string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())) : content?.GetValue<string>() ?? "";

    // A summary for a summarizing request; after a tool result, the answer naming its turn; else the next command.
    private (string? Text, int? Turn) Decide(string system, string? toolResult)
    {
        if (IsSummary(system))
        {
            Interlocked.Increment(ref _summaries);
            return ("The user has been asking the agent to run labelled commands, one per turn; each printed a few kilobytes of x and was answered.", null);
        }

        if (toolResult is not null)
        {
            var label = toolResult.Split('\n', 2)[0].Trim();
            return ($"answered {label}", null);
        }

        return (null, Interlocked.Increment(ref _turns));
    }
}
