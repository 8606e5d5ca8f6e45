using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Lucid.Models;

/// <summary>
/// How many tokens a request will hold, before it is sent. OpenAI models (<c>openai/gpt-4o</c>, <c>openai/gpt-5</c>,
/// <c>openai/o3</c>…) are counted with their own tiktoken encoding. Every other model (Claude, Ollama's, and names the
/// tokenizer does not know, such as those of OpenAI-compatible servers) is estimated at one token per 3.5 characters,
/// rounded up per piece of text. A request adds, on top of its text: 4 tokens per message and for the system prompt;
/// 8 per tool call (plus its ID, name and JSON arguments) and per tool result (plus its call's ID and the result); 8 per
/// tool declaration (plus its name, description and JSON schema); and 1,600 per image (Anthropic's figure for an image
/// of about 1.15 megapixels). Other content is not counted.
/// </summary>
public static class TokenEstimate
{
    /// <summary>Characters per token for models without a public tokenizer.</summary>
    internal const double CharactersPerToken = 3.5;

    /// <summary>Tokens of a message's role and separators, and of the system prompt's.</summary>
    internal const int PerMessage = 4;

    /// <summary>Tokens of a tool call's or a tool result's wrapping.</summary>
    internal const int PerToolCall = 8;

    /// <summary>Tokens of a tool declaration's wrapping.</summary>
    internal const int PerToolDeclaration = 8;

    /// <summary>Tokens of one image.</summary>
    internal const int PerImage = 1_600;

    // One tokenizer per OpenAI model name (null: the tokenizer does not know it); the library shares each encoding's data.
    private static readonly ConcurrentDictionary<string, Tokenizer?> Tokenizers = new(StringComparer.Ordinal);

    // Compact, as providers send arguments and results (the library's defaults are indented).
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>
    /// The tokens a request to <paramref name="model"/> with <paramref name="messages"/> will hold, with the system prompt
    /// and tool declarations when given.
    /// </summary>
    public static int Of(string model, IEnumerable<ChatMessage> messages, string? system = null, IEnumerable<AITool>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var count = Counter(model);
        var total = string.IsNullOrEmpty(system) ? 0 : PerMessage + count(system);
        foreach (var tool in tools ?? [])
        {
            total += PerToolDeclaration + count(tool.Name) + count(tool.Description)
                + (tool is AIFunctionDeclaration function ? count(function.JsonSchema.GetRawText()) : 0);
        }

        foreach (var message in messages)
        {
            total += PerMessage;
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => count(text.Text),
                    TextReasoningContent reasoning => count(reasoning.Text),
                    FunctionCallContent call => PerToolCall + count(call.CallId) + count(call.Name) + count(Json(call.Arguments)),
                    FunctionResultContent result => PerToolCall + count(result.CallId) + count(ResultText(result.Result)),
                    DataContent data when data.HasTopLevelMediaType("image") => PerImage,
                    UriContent uri when uri.HasTopLevelMediaType("image") => PerImage,
                    _ => 0,
                };
            }
        }

        return total;
    }

    /// <summary>The tokens <paramref name="text"/> alone comes to for <paramref name="model"/>, with no message around it.</summary>
    public static int Of(string model, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Counter(model)(text);
    }

    private static Func<string?, int> Counter(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tokenizer = ModelNames.At("openai", model) is { } name ? Tokenizers.GetOrAdd(name, Create) : null;
        return tokenizer is null
            ? static text => string.IsNullOrEmpty(text) ? 0 : (int)Math.Ceiling(text.Length / CharactersPerToken)
            : text => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);
    }

    private static TiktokenTokenizer? Create(string model)
    {
        try
        {
            return TiktokenTokenizer.CreateForModel(model);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            // Not a model the tokenizer knows, or one whose encoding data Lucid does not ship (cl100k_base: gpt-4, gpt-3.5).
            return null;
        }
    }

    private static string? ResultText(object? result) => result switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        _ => Json(result),
    };

    private static string? Json(object? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize(value, CompactJson.GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            return value.ToString();
        }
    }
}
