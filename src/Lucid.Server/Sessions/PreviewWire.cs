using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Sessions;

/// <summary>
/// Previews on the wire, as the SDK's <c>BetaManagedAgentsStartEvent</c> (<c>{"type":"event_start","event":{"type":
/// "agent.message","id":…}}</c>) and <c>BetaManagedAgentsDeltaEvent</c> (<c>{"type":"event_delta","event_id":…,
/// "delta":{"type":"content_delta","index":0,"content":{"type":"text","text":…}}}</c>); the frame's event name is the
/// type. A stream asks for them with <c>event_deltas[]</c> (one or more event types, repeated).
/// </summary>
internal static class PreviewWire
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "agent.message", "agent.thinking" };

    /// <summary>The event types a stream request asks previews of; an unknown one is a 400 naming <c>event_deltas</c>.</summary>
    public static IReadOnlySet<string> RequestedTypes(HttpRequest request)
    {
        var types = request.Query["event_deltas[]"].Concat(request.Query["event_deltas"])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        return types.FirstOrDefault(t => !Known.Contains(t)) is { } unknown
            ? throw RequestException.Invalid("event_deltas", $"'{unknown}' cannot be previewed; event_deltas takes agent.message or agent.thinking.")
            : types;
    }

    /// <summary>The frame of a preview. It carries no <c>id</c>: <c>Last-Event-ID</c> names committed events only.</summary>
    public static SseItem<string> Frame(EventPreview preview) => preview switch
    {
        EventPreviewStart start => new SseItem<string>(
            new JsonObject
            {
                ["type"] = "event_start",
                ["event"] = new JsonObject { ["type"] = start.EventType, ["id"] = start.EventId },
            }.ToJsonString(),
            "event_start"),
        EventPreviewDelta delta => new SseItem<string>(
            new JsonObject
            {
                ["type"] = "event_delta",
                ["event_id"] = delta.EventId,
                ["delta"] = new JsonObject
                {
                    ["type"] = "content_delta",
                    ["index"] = delta.Index,
                    ["content"] = new JsonObject { ["type"] = "text", ["text"] = delta.Text },
                },
            }.ToJsonString(),
            "event_delta"),
        _ => throw new InvalidOperationException($"No wire form for a {preview.GetType().Name}."),
    };
}
