using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>
/// A fake Ollama API: chat (<c>POST /api/chat</c>: one JSON object, or newline-delimited JSON when streaming) and model
/// information (<c>POST /api/show</c>).
/// </summary>
public sealed class FakeOllamaServer : FakeProviderServer
{
    /// <summary>Replies with text.</summary>
    public FakeOllamaServer ReplyText(string text, int promptTokens = 12, int evalTokens = 7)
    {
        Then((request, response) => ReplyAsync(request, response, new JsonObject { ["role"] = "assistant", ["content"] = text }, promptTokens, evalTokens));
        return this;
    }

    /// <summary>Replies with one tool call (arguments as a JSON object, as Ollama sends them).</summary>
    public FakeOllamaServer ReplyToolCall(string name, object arguments, int promptTokens = 12, int evalTokens = 7)
    {
        Then((request, response) => ReplyAsync(
            request,
            response,
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = "",
                ["tool_calls"] = new JsonArray(new JsonObject { ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.SerializeToNode(arguments) } }),
            },
            promptTokens,
            evalTokens));
        return this;
    }

    /// <summary>
    /// Replies to <c>/api/show</c> as Ollama does: <c>model_info</c> with <c>&lt;architecture&gt;.context_length</c> (left out
    /// when null), and <c>parameters</c> with <c>num_ctx</c> when the Modelfile would set it.
    /// </summary>
    public FakeOllamaServer ReplyShow(string architecture, int? contextLength, int? numCtx = null)
    {
        var info = new JsonObject
        {
            ["general.architecture"] = architecture,
            ["general.file_type"] = 15,
            ["general.parameter_count"] = 8_190_735_360,
            ["general.quantization_version"] = 2,
            [$"{architecture}.embedding_length"] = 4096,
        };
        if (contextLength is { } length)
        {
            info[$"{architecture}.context_length"] = length;
        }

        var show = new JsonObject
        {
            ["license"] = "Apache License 2.0",
            ["modelfile"] = $"FROM /models/{architecture}.gguf",
            ["template"] = "{{ .Prompt }}",
            ["details"] = new JsonObject
            {
                ["parent_model"] = "",
                ["format"] = "gguf",
                ["family"] = architecture,
                ["families"] = new JsonArray(architecture),
                ["parameter_size"] = "8.2B",
                ["quantization_level"] = "Q4_K_M",
            },
            ["model_info"] = info,
            ["capabilities"] = new JsonArray("completion", "tools"),
            ["modified_at"] = "2026-11-24T00:00:00.000000000Z",
        };
        var stop = "stop                           \"<|im_end|>\"";
        show["parameters"] = numCtx is { } tokens ? $"num_ctx                        {tokens}\n{stop}" : stop;
        Then((_, response) => WriteJsonAsync(response, show));
        return this;
    }

    /// <summary>Replies with an error.</summary>
    public FakeOllamaServer Error(int status, string message, params (string Name, string Value)[] headers)
    {
        Status(status, new JsonObject { ["error"] = message }.ToJsonString(), headers);
        return this;
    }

    private static async Task ReplyAsync(RecordedRequest request, HttpResponse response, JsonObject message, int promptTokens, int evalTokens)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? "qwen3";
        var final = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2026-11-24T00:00:00Z",
            ["message"] = message,
            ["done"] = true,
            ["done_reason"] = "stop",
            ["prompt_eval_count"] = promptTokens,
            ["eval_count"] = evalTokens,
        };
        response.ContentType = request.Streaming ? "application/x-ndjson" : "application/json";
        await response.WriteAsync(final.ToJsonString() + (request.Streaming ? "\n" : ""));
    }
}
