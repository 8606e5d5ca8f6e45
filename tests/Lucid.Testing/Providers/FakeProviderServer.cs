using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Providers;

/// <summary>A request a fake provider received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body as JSON.</summary>
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    /// <summary>Whether the client asked for a streamed reply.</summary>
    public bool Streaming => Json is JsonObject o && o["stream"]?.GetValue<bool>() == true;
}

/// <summary>
/// A local HTTP server on a loopback port that speaks one provider's wire format. Each request takes the next scripted
/// reply; every request is recorded. Derived classes add helpers that write that provider's JSON.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<RecordedRequest, HttpResponse, Task>> _replies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Server.LoopbackHttpServer _server;

    protected FakeProviderServer() => _server = new Server.LoopbackHttpServer(HandleAsync);

    /// <summary>The server's base address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => _server.BaseUrl;

    /// <summary>The reply used when no scripted reply is left, for runs of unknown length; null fails such requests.</summary>
    public Func<RecordedRequest, HttpResponse, Task>? Fallback { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts listening.</summary>
    public Task StartAsync() => _server.StartAsync();

    /// <summary>Adds a scripted reply.</summary>
    public FakeProviderServer Then(Func<RecordedRequest, HttpResponse, Task> reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    /// <summary>Adds a reply with a status code, a JSON body and headers (such as <c>retry-after</c>).</summary>
    public FakeProviderServer Status(int status, string json, params (string Name, string Value)[] headers) => Then(async (_, response) =>
    {
        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = "application/json";
        await response.WriteAsync(json);
    });

    /// <summary>Adds a reply that drops the connection without an answer.</summary>
    public FakeProviderServer Drop() => Then((_, response) =>
    {
        response.HttpContext.Abort();
        return Task.CompletedTask;
    });

    /// <summary>Text split after each run of whitespace, as a model streams it a word at a time; empty for none.</summary>
    protected static IReadOnlyList<string> Words(string? text) =>
        string.IsNullOrEmpty(text) ? [] : System.Text.RegularExpressions.Regex.Split(text, @"(?<=\s)(?=\S)");

    /// <summary>Writes JSON.</summary>
    protected static Task WriteJsonAsync(HttpResponse response, JsonNode json)
    {
        response.ContentType = "application/json";
        return response.WriteAsync(json.ToJsonString());
    }

    /// <summary>Writes server-sent events, one JSON payload each; <paramref name="beforeFrame"/> runs before each frame after the first.</summary>
    protected static async Task WriteSseAsync(HttpResponse response, IEnumerable<(string? Event, string Data)> frames, Func<int, Task>? beforeFrame = null)
    {
        response.ContentType = "text/event-stream";
        var index = 0;
        foreach (var (name, data) in frames)
        {
            if (index++ > 0 && beforeFrame is not null)
            {
                await beforeFrame(index - 1);
            }

            var frame = new StringBuilder();
            if (name is not null)
            {
                frame.Append("event: ").Append(name).Append('\n');
            }

            frame.Append("data: ").Append(data).Append("\n\n");
            await response.WriteAsync(frame.ToString());
            await response.Body.FlushAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body);
        _requests.Enqueue(request);
        if (!_replies.TryDequeue(out var reply) && Fallback is { } fallback)
        {
            reply = fallback;
        }

        if (reply is null)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync($"{{\"error\":\"the fake server has no scripted reply for request #{_requests.Count}\"}}");
            return;
        }

        await reply(request, context.Response);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
