using System.Text;
using System.Text.Json;
using Lucid.Dreams;
using Lucid.Events;
using Lucid.Ids;

namespace Lucid.Importing;

/// <summary>
/// Converts OpenAI chat-format messages to session events, in their order: <c>system</c>/<c>developer</c> messages
/// become the agent's system prompt; <c>user</c> → <c>user.message</c>; <c>assistant</c> → <c>agent.message</c> (when
/// it has text) then one <c>agent.tool_use</c> per tool call (its arguments parsed as the input); <c>tool</c> (and the
/// legacy <c>function</c>) → <c>agent.tool_result</c> answering the call it names, failed when its text starts with
/// <c>Error</c> (<see cref="ToolErrorRule"/>).
/// </summary>
internal sealed class OpenAIChatTranscripts(IdGenerator ids)
{
    /// <summary>Whether a JSON array is one conversation (its items are messages) rather than a list of records.</summary>
    public static bool IsMessageList(JsonElement array) =>
        array.GetArrayLength() > 0 && array.EnumerateArray().All(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out _));

    /// <summary>Converts a record: an array of messages, or an object with <c>messages</c>.</summary>
    public Transcript Convert(JsonElement record)
    {
        var messages = record.ValueKind switch
        {
            JsonValueKind.Array => record,
            JsonValueKind.Object when record.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array => m,
            _ => throw new MalformedTranscriptException("expected an array of messages or an object with a \"messages\" array"),
        };
        var events = new List<SessionEvent>();
        var system = ConvertMessages(messages, events);
        var firstUser = events.OfType<UserMessageEvent>().Select(u => Text(u.Content)).FirstOrDefault();
        return new Transcript { SystemPrompt = system, Events = events, Title = firstUser is null ? null : Shorten(firstUser, 80) };
    }

    /// <summary>Appends the messages' events; returns the system prompt (every system message, joined), or null.</summary>
    public string? ConvertMessages(JsonElement messages, List<SessionEvent> events)
    {
        if (messages.GetArrayLength() == 0)
        {
            throw new MalformedTranscriptException("the conversation has no messages");
        }

        var system = new List<string>();
        var calls = new Dictionary<string, string>(StringComparer.Ordinal);
        string? lastFunctionCall = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedTranscriptException($"message {index} is not an object");
            }

            var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            switch (role)
            {
                case "system" or "developer":
                    system.Add(Content(message, index));
                    break;
                case "user":
                    events.Add(new UserMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = [new TextBlock(Content(message, index))] });
                    break;
                case "assistant":
                    lastFunctionCall = Assistant(message, index, events, calls) ?? lastFunctionCall;
                    break;
                case "tool":
                    var callId = message.TryGetProperty("tool_call_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    if (callId is null || !calls.Remove(callId, out var toolUseId))
                    {
                        throw new MalformedTranscriptException($"message {index} (tool) answers tool_call_id '{callId}', which no earlier assistant message called (or which was already answered)");
                    }

                    events.Add(Result(toolUseId, Content(message, index)));
                    break;
                case "function":
                    if (lastFunctionCall is null)
                    {
                        throw new MalformedTranscriptException($"message {index} (function) follows no function_call");
                    }

                    events.Add(Result(lastFunctionCall, Content(message, index)));
                    lastFunctionCall = null;
                    break;
                default:
                    throw new MalformedTranscriptException(role is null ? $"message {index} has no \"role\"" : $"message {index} has the unknown role '{role}'");
            }
        }

        return system.Count == 0 ? null : string.Join("\n\n", system);
    }

    // Returns the tool_use event of a legacy function_call, for the "function" message that answers it.
    private string? Assistant(JsonElement message, int index, List<SessionEvent> events, Dictionary<string, string> calls)
    {
        var text = Content(message, index);
        var toolCalls = message.TryGetProperty("tool_calls", out var t) && t.ValueKind == JsonValueKind.Array ? t : default;
        var functionCall = message.TryGetProperty("function_call", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var hasCalls = toolCalls.ValueKind == JsonValueKind.Array && toolCalls.GetArrayLength() > 0;
        if (text.Length > 0 || (!hasCalls && functionCall.ValueKind != JsonValueKind.Object))
        {
            events.Add(new AgentMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = [new TextBlock(text)] });
        }

        if (hasCalls)
        {
            var n = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                n++;
                var id = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                if (id is null || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                {
                    throw new MalformedTranscriptException($"message {index} (assistant) tool call {n} has no \"id\" or no \"function\"");
                }

                var use = ToolUse(function, $"message {index} (assistant) tool call {n}");
                events.Add(use);
                calls[id] = use.Id;
            }
        }

        if (functionCall.ValueKind == JsonValueKind.Object)
        {
            var use = ToolUse(functionCall, $"message {index} (assistant) function_call");
            events.Add(use);
            return use.Id;
        }

        return null;
    }

    private AgentToolUseEvent ToolUse(JsonElement function, string where)
    {
        var name = function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (string.IsNullOrEmpty(name))
        {
            throw new MalformedTranscriptException($"{where} has no function name");
        }

        return new AgentToolUseEvent { Id = ids.NewId(IdPrefixes.Event), Name = name, Input = Arguments(function), EvaluatedPermission = ToolPermissions.Allow };
    }

    // Arguments are a JSON string holding an object (some producers send the object itself).
    private static JsonElement Arguments(JsonElement function) =>
        !function.TryGetProperty("arguments", out var arguments) || arguments.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? JsonElement.Parse("{}")
        : arguments.ValueKind == JsonValueKind.String ? Fields.Arguments(arguments.GetString())
        : Fields.InputObject(arguments, "arguments");

    private AgentToolResultEvent Result(string toolUseId, string text) => new()
    {
        Id = ids.NewId(IdPrefixes.Event),
        ToolUseId = toolUseId,
        Content = [new TextBlock(text)],
        IsError = ToolErrorRule.IsErrorText(text),
    };

    // Content is a string, null, or an array of parts whose text parts are kept.
    private static string Content(JsonElement message, int index)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString() ?? "";
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString());
                    }
                    else if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    {
                        text.Append(t.GetString());
                    }
                    else
                    {
                        var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var p) ? p.ToString() : part.ValueKind.ToString();
                        text.Append('[').Append(type).Append(" omitted]");
                    }
                }

                return text.ToString();
            default:
                throw new MalformedTranscriptException($"message {index} has content that is neither text nor a list of parts");
        }
    }

    internal static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(t => t.Text));

    internal static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
