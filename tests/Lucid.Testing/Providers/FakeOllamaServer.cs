using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>A fake Ollama chat API (<c>POST /api/chat</c>): one JSON object, or newline-delimited JSON when streaming.</summary>
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
