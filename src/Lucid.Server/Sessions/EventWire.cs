using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Json;
using Lucid.Server.Http;

namespace Lucid.Server.Sessions;

/// <summary>
/// Session events on the wire. The log's storage JSON of every event type is the API's event JSON (same type names,
/// field names and nesting, checked by the conformance tests through the official SDK), so output is that JSON; input
/// events are read field by field so that errors name the field.
/// </summary>
internal static class EventWire
{
    public static JsonNode ToJson(LoggedEvent logged) =>
        JsonSerializer.SerializeToNode(logged.Event, LucidJsonContext.Default.SessionEvent)
        ?? throw new InvalidOperationException("An event serialized to null.");

    public static string ToJsonString(LoggedEvent logged) => JsonSerializer.Serialize(logged.Event, LucidJsonContext.Default.SessionEvent);

    /// <summary>Reads the input events of a send request: <c>{"events": [...]}</c>.</summary>
    public static List<SessionEvent> ReadSend(WireObject body)
    {
        var events = body.Array("events", 100);
        if (events.Count == 0)
        {
            throw RequestException.Invalid("events", "events is required and must hold at least one event.");
        }

        return [.. events.Select(e => ReadInput(new WireObject(e.Item, e.Path)))];
    }

    /// <summary>Reads one input event.</summary>
    public static SessionEvent ReadInput(WireObject e)
    {
        var type = e.RequiredString("type");
        return type switch
        {
            "user.message" => new UserMessageEvent { Content = Content(e, required: true) },
            "user.interrupt" => new UserInterruptEvent(),
            "user.tool_confirmation" => new UserToolConfirmationEvent
            {
                ToolUseId = e.RequiredString("tool_use_id", 128),
                Result = e.RequiredString("result") switch
                {
                    "allow" => ToolConfirmationResult.Allow,
                    "deny" => ToolConfirmationResult.Deny,
                    var other => throw RequestException.Invalid(e.PathOf("result"), $"result must be allow or deny, not '{other}'."),
                },
                DenyMessage = e.String("deny_message", 10_000),
            },
            "user.custom_tool_result" => new UserCustomToolResultEvent
            {
                CustomToolUseId = e.RequiredString("custom_tool_use_id", 128),
                Content = Content(e, required: false),
                IsError = e.Bool("is_error") ?? false,
            },
            "user.define_outcome" => throw RequestException.Invalid(e.PathOf("type"), "user.define_outcome is not supported by this Lucid version yet."),
            _ => throw RequestException.Invalid(e.PathOf("type"), $"'{type}' is not an event a client can send; use user.message, user.interrupt, user.tool_confirmation or user.custom_tool_result."),
        };
    }

    private static List<ContentBlock> Content(WireObject e, bool required)
    {
        var blocks = new List<ContentBlock>();
        foreach (var (item, path) in e.Array("content", 1000))
        {
            var block = new WireObject(item, path);
            var type = block.RequiredString("type");
            if (type != "text")
            {
                throw RequestException.Invalid($"{path}.type", $"Content blocks of type '{type}' are not supported by this Lucid version; send text blocks.");
            }

            blocks.Add(new TextBlock(block.RequiredString("text", 1_000_000)));
        }

        return blocks.Count == 0 && required
            ? throw RequestException.Invalid(e.PathOf("content"), $"{e.PathOf("content")} needs at least one text block.")
            : blocks;
    }
}
