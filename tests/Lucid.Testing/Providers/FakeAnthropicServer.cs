using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>A fake Anthropic Messages API (<c>POST /v1/messages</c>), plain JSON or server-sent events as the request asks.</summary>
public sealed class FakeAnthropicServer : FakeProviderServer
{
    private int _ids;

    /// <summary>Replies with text and <c>stop_reason: end_turn</c>.</summary>
    public FakeAnthropicServer ReplyText(string text, int inputTokens = 12, int outputTokens = 7)
    {
        Then((request, response) => ReplyAsync(request, response, [new JsonObject { ["type"] = "text", ["text"] = text }], "end_turn", inputTokens, outputTokens));
        return this;
    }

    /// <summary>Replies with one <c>tool_use</c> block and <c>stop_reason: tool_use</c>.</summary>
    public FakeAnthropicServer ReplyToolUse(string name, object input, int inputTokens = 12, int outputTokens = 7)
    {
        Then((request, response) => ReplyAsync(
            request,
            response,
            [new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{Interlocked.Increment(ref _ids):D4}", ["name"] = name, ["input"] = JsonSerializer.SerializeToNode(input) }],
            "tool_use",
            inputTokens,
            outputTokens));
        return this;
    }

    /// <summary>
    /// Replies with one <c>tool_use</c> block and <c>stop_reason: max_tokens</c>: a response the output limit cut off
    /// in the middle of its tool call.
    /// </summary>
    public FakeAnthropicServer ReplyToolUseCutOff(string name, object input)
    {
        Then((request, response) => ReplyAsync(
            request,
            response,
            [new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{Interlocked.Increment(ref _ids):D4}", ["name"] = name, ["input"] = JsonSerializer.SerializeToNode(input) }],
            "max_tokens",
            12,
            7));
        return this;
    }

    /// <summary>
    /// Adds a step that chooses its reply from the request: a tool call when the chooser names a tool, text otherwise.
    /// For agents whose requests may arrive in either order, such as a lead and its threads.
    /// </summary>
    public FakeAnthropicServer ReplyBy(Func<RecordedRequest, (string? Text, string? ToolName, object? Input)> choose)
    {
        Then((request, response) =>
        {
            var (text, toolName, input) = choose(request);
            return toolName is null
                ? ReplyAsync(request, response, [new JsonObject { ["type"] = "text", ["text"] = text ?? "" }], "end_turn", 12, 7)
                : ReplyAsync(
                    request,
                    response,
                    [new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{Interlocked.Increment(ref _ids):D4}", ["name"] = toolName, ["input"] = JsonSerializer.SerializeToNode(input ?? new { }) }],
                    "tool_use",
                    12,
                    7);
        });
        return this;
    }

    /// <summary>Writes a text reply with <c>stop_reason: end_turn</c>, for replies computed from the request.</summary>
    public static Task WriteTextAsync(RecordedRequest request, HttpResponse response, string text, int inputTokens = 12, int outputTokens = 7) =>
        ReplyAsync(request, response, [new JsonObject { ["type"] = "text", ["text"] = text }], "end_turn", inputTokens, outputTokens);

    /// <summary>Writes a reply with one <c>tool_use</c> block, for replies computed from the request.</summary>
    public static Task WriteToolUseAsync(RecordedRequest request, HttpResponse response, string id, string name, object input, int inputTokens = 12, int outputTokens = 7) =>
        ReplyAsync(request, response, [new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonSerializer.SerializeToNode(input) }], "tool_use", inputTokens, outputTokens);

    /// <summary>Writes an API error, for replies computed from the request.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int status, string type, string message)
    {
        response.StatusCode = status;
        await WriteJsonAsync(response, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } });
    }

    /// <summary>Replies with an API error.</summary>
    public FakeAnthropicServer Error(int status, string type, string message, params (string Name, string Value)[] headers)
    {
        Status(status, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString(), headers);
        return this;
    }

    private static Task ReplyAsync(RecordedRequest request, HttpResponse response, JsonObject[] content, string stopReason, int inputTokens, int outputTokens)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? "claude-test";
        if (!request.Streaming)
        {
            return WriteJsonAsync(response, new JsonObject
            {
                ["id"] = "msg_fake",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray([.. content]),
                ["stop_reason"] = stopReason,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens, ["cache_read_input_tokens"] = 0, ["cache_creation_input_tokens"] = 0 },
            });
        }

        var frames = new List<(string?, string)>
        {
            ("message_start", new JsonObject
            {
                ["type"] = "message_start",
                ["message"] = new JsonObject
                {
                    ["id"] = "msg_fake", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                    ["stop_reason"] = null, ["stop_sequence"] = null,
                    ["usage"] = new JsonObject { ["input_tokens"] = inputTokens, ["output_tokens"] = 1 },
                },
            }.ToJsonString()),
        };
        for (var i = 0; i < content.Length; i++)
        {
            var block = content[i];
            var isText = block["type"]?.GetValue<string>() == "text";
            var start = isText ? new JsonObject { ["type"] = "text", ["text"] = "" } : new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]?.DeepClone(), ["name"] = block["name"]?.DeepClone(), ["input"] = new JsonObject() };
            frames.Add(("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = i, ["content_block"] = start }.ToJsonString()));
            // Text comes a word at a time, as a model streams it.
            JsonObject[] deltas = isText
                ? [.. Words(block["text"]?.GetValue<string>()).Select(w => new JsonObject { ["type"] = "text_delta", ["text"] = w })]
                : [new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]?.ToJsonString() }];
            frames.AddRange(deltas.Select(delta => ((string?)"content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = i, ["delta"] = delta }.ToJsonString())));
            frames.Add(("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = i }.ToJsonString()));
        }

        frames.Add(("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = outputTokens },
        }.ToJsonString()));
        frames.Add(("message_stop", "{\"type\":\"message_stop\"}"));
        return WriteSseAsync(response, frames);
    }
}
