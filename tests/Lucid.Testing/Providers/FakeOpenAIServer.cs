using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>A fake OpenAI-compatible Chat Completions API (<c>POST …/chat/completions</c>), plain JSON or streamed chunks.</summary>
public sealed class FakeOpenAIServer : FakeProviderServer
{
    private int _ids;

    /// <summary>The base URL to give as <c>OPENAI_BASE_URL</c>.</summary>
    public string ApiBaseUrl => BaseUrl + "/v1";

    /// <summary>Replies with text and <c>finish_reason: stop</c>.</summary>
    public FakeOpenAIServer ReplyText(string text, int promptTokens = 12, int completionTokens = 7)
    {
        Then((request, response) => WriteTextAsync(request, response, text, promptTokens, completionTokens));
        return this;
    }

    /// <summary>
    /// Replies with text, streamed a word at a time, and <c>finish_reason: stop</c>; after the first word it waits for
    /// <paramref name="afterFirstWord"/>, so a test can see what the client made of the stream so far.
    /// </summary>
    public FakeOpenAIServer ReplyTextHeld(string text, Func<Task> afterFirstWord)
    {
        Then((request, response) => ReplyAsync(request, response, new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop", 12, 7, afterFirstWord));
        return this;
    }

    /// <summary>Writes a text completion as the answer to <paramref name="request"/>.</summary>
    public static Task WriteTextAsync(RecordedRequest request, HttpResponse response, string text, int promptTokens = 12, int completionTokens = 7) =>
        ReplyAsync(request, response, new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop", promptTokens, completionTokens);

    /// <summary>Replies with one tool call (arguments as a JSON string, as the API sends them) and <c>finish_reason: tool_calls</c>.</summary>
    public FakeOpenAIServer ReplyToolCall(string name, object arguments, int promptTokens = 12, int completionTokens = 7)
    {
        Then((request, response) => WriteToolCallAsync(request, response, $"call_{Interlocked.Increment(ref _ids):D4}", name, arguments, promptTokens, completionTokens));
        return this;
    }

    /// <summary>Writes a completion with one tool call as the answer to <paramref name="request"/>.</summary>
    public static Task WriteToolCallAsync(RecordedRequest request, HttpResponse response, string callId, string name, object arguments, int promptTokens = 12, int completionTokens = 7) =>
        ReplyAsync(
            request,
            response,
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = callId,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.Serialize(arguments) },
                }),
            },
            "tool_calls",
            promptTokens,
            completionTokens);

    /// <summary>Writes an API error, for replies computed from the request.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int status, string type, string? code, string message)
    {
        response.StatusCode = status;
        await WriteJsonAsync(response, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = "messages", ["code"] = code } });
    }

    /// <summary>Replies with an API error.</summary>
    public FakeOpenAIServer Error(int status, string type, string message, params (string Name, string Value)[] headers)
    {
        Status(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = null } }.ToJsonString(), headers);
        return this;
    }

    private static Task ReplyAsync(
        RecordedRequest request, HttpResponse response, JsonObject message, string finishReason, int promptTokens, int completionTokens, Func<Task>? afterFirstChunk = null)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? "test";
        var usage = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens };
        if (!request.Streaming)
        {
            return WriteJsonAsync(response, new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1_764_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
                ["usage"] = usage,
            });
        }

        JsonObject Chunk(JsonObject delta, string? finish, JsonObject? chunkUsage = null) => new()
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_764_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            ["usage"] = chunkUsage,
        };

        var delta = (JsonObject)message.DeepClone();
        if (delta["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls.OfType<JsonObject>())
            {
                call["index"] = 0;
            }
        }

        // Text comes a word at a time, as a model streams it.
        var words = Words(delta["content"]?.GetValue<string>());
        if (words.Count > 0)
        {
            delta["content"] = words[0];
        }

        return WriteSseAsync(response,
        [
            (null, Chunk(delta, null).ToJsonString()),
            .. words.Skip(1).Select(w => ((string?)null, Chunk(new JsonObject { ["content"] = w }, null).ToJsonString())),
            (null, Chunk([], finishReason).ToJsonString()),
            (null, new JsonObject { ["id"] = "chatcmpl-fake", ["object"] = "chat.completion.chunk", ["created"] = 1_764_000_000, ["model"] = model, ["choices"] = new JsonArray(), ["usage"] = usage }.ToJsonString()),
            (null, "[DONE]"),
        ],
        afterFirstChunk is null ? null : i => i == 1 ? afterFirstChunk() : Task.CompletedTask);
    }
}
