using System.Text.Json;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Sessions;

namespace Lucid.Importing;

/// <summary>
/// The events of one log of a Claude Code session — its primary log or a subagent's thread — built from its lines in
/// order. Assistant lines that share <c>message.id</c> are one API response split over several lines: they are merged
/// at the first one's place, so every <c>tool_use</c> of a response comes before the results that answer it.
/// </summary>
internal sealed class ClaudeCodeEvents(IdGenerator ids, IgnoredLines ignored, List<MalformedRecord> malformed, Dictionary<string, string> toolUseEvents)
{
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _responses = new(StringComparer.Ordinal);

    /// <summary>The text of the log's first user message, once rendered: a subagent's task.</summary>
    public string? FirstUserText { get; private set; }

    /// <summary>Every <c>tool_use</c> block of the log's responses, in order.</summary>
    public IEnumerable<JsonElement> ToolUses =>
        _entries.Where(e => e.Line.Type == "assistant").SelectMany(e => e.Blocks).Where(b => Fields.String(b, "type") == "tool_use");

    /// <summary>Adds a line: a user record, an assistant record (joining the response it continues), or one to ignore.</summary>
    public void Add(LogLine line)
    {
        switch (line.Type)
        {
            case "assistant":
                AddResponse(line);
                break;
            case "user" when Fields.True(line.Entry, "isMeta"):
                ignored.Add("user/isMeta");
                break;
            case "user":
                if (Fields.Object(line.Entry, "message") is not { } message
                    || !message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
                {
                    malformed.Add(new MalformedRecord(line.Position, "user record has no \"message\" whose \"content\" is text or a list of blocks"));
                    break;
                }

                _entries.Add(new Entry(line, message, []));
                break;
            default:
                ignored.Add(line.Type == "system" && Fields.String(line.Entry, "subtype") is { } subtype ? $"system/{subtype}" : line.Type);
                break;
        }
    }

    private void AddResponse(LogLine line)
    {
        var message = Fields.Object(line.Entry, "message");
        var content = message is { } m ? Fields.Array(m, "content") : null;
        if (message is null || content is null)
        {
            malformed.Add(new MalformedRecord(line.Position, "assistant record has no \"message\" with a \"content\" list"));
            return;
        }

        var blocks = content.Value.EnumerateArray().ToList();
        var index = blocks.FindIndex(b => Fields.String(b, "type") == "tool_use" && (Fields.String(b, "id") is null || Fields.String(b, "name") is null));
        if (index >= 0)
        {
            malformed.Add(new MalformedRecord(line.Position, $"message.content[{index}] (tool_use) has no \"id\" or no \"name\""));
            return;
        }

        if (Fields.String(message.Value, "id") is { } id && _responses.TryGetValue(id, out var response))
        {
            // A continuation line repeats the usage so far; the last one holds the response's.
            response.Message = message.Value;
            response.Blocks.AddRange(blocks.Where(b => !response.Blocks.Any(seen => JsonElement.DeepEquals(seen, b))));
            return;
        }

        var entry = new Entry(line, message.Value, blocks);
        _entries.Add(entry);
        if (Fields.String(message.Value, "id") is { } newId)
        {
            _responses[newId] = entry;
        }
    }

    /// <summary>
    /// The log's events. After each tool use come <paramref name="afterToolUse"/>'s events for its ID (the thread a
    /// subagent call started). In a thread, user text is the message the lead sent (<paramref name="leadThreadId"/>).
    /// </summary>
    public List<SessionEvent> Render(Func<string, IEnumerable<SessionEvent>> afterToolUse, string? leadThreadId)
    {
        var events = new List<SessionEvent>();
        foreach (var entry in _entries)
        {
            if (entry.Line.Type == "assistant")
            {
                Response(entry, events, afterToolUse);
            }
            else
            {
                User(entry, events, leadThreadId);
            }
        }

        return events;
    }

    private void Response(Entry entry, List<SessionEvent> events, Func<string, IEnumerable<SessionEvent>> afterToolUse)
    {
        var model = Fields.String(entry.Message, "model");
        var usage = Fields.Object(entry.Message, "usage");
        var start = usage is not null && model != "<synthetic>" ? new SpanModelRequestStartEvent { Id = ids.NewId(IdPrefixes.Event), Model = model } : null;
        if (start is not null)
        {
            events.Add(start);
        }

        var text = new List<ContentBlock>();
        foreach (var block in entry.Blocks)
        {
            var type = Fields.String(block, "type") ?? "untyped";
            if (type != "text" && text.Count > 0)
            {
                events.Add(new AgentMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = [.. text] });
                text.Clear();
            }

            switch (type)
            {
                case "text":
                    text.Add(new TextBlock(Fields.String(block, "text") ?? ""));
                    break;
                case "thinking":
                    events.Add(new AgentThinkingEvent { Id = ids.NewId(IdPrefixes.Event), Text = Fields.String(block, "thinking") });
                    break;
                case "redacted_thinking":
                    events.Add(new AgentThinkingEvent { Id = ids.NewId(IdPrefixes.Event) });
                    break;
                case "tool_use":
                    var toolUseId = Fields.String(block, "id") ?? "";
                    var input = block.TryGetProperty("input", out var i) ? Fields.InputObject(i, "input") : JsonElement.Parse("{}");
                    var use = new AgentToolUseEvent { Id = ids.NewId(IdPrefixes.Event), Name = Fields.String(block, "name") ?? "", Input = input, EvaluatedPermission = ToolPermissions.Allow };
                    events.Add(use);
                    toolUseEvents[toolUseId] = use.Id;
                    events.AddRange(afterToolUse(toolUseId));
                    break;
                default:
                    ignored.Add($"assistant/{type}");
                    break;
            }
        }

        if (text.Count > 0)
        {
            events.Add(new AgentMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = [.. text] });
        }

        if (start is not null && usage is { } u)
        {
            events.Add(new SpanModelRequestEndEvent { Id = ids.NewId(IdPrefixes.Event), ModelRequestStartId = start.Id, ModelUsage = Usage(u) });
        }
    }

    private void User(Entry entry, List<SessionEvent> events, string? leadThreadId)
    {
        var content = entry.Message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.Array
            && content.EnumerateArray().FirstOrDefault(b => Fields.String(b, "type") == "tool_result" && !toolUseEvents.ContainsKey(Fields.String(b, "tool_use_id") ?? "")) is { ValueKind: JsonValueKind.Object } orphan)
        {
            malformed.Add(new MalformedRecord(entry.Line.Position, $"tool_result answers tool_use_id '{Fields.String(orphan, "tool_use_id")}', which no earlier tool_use in this log called"));
            return;
        }

        var blocks = new List<ContentBlock>();
        IEnumerable<JsonElement> items = content.ValueKind == JsonValueKind.String ? [content] : content.EnumerateArray();
        foreach (var block in items)
        {
            if (Fields.String(block, "type") == "tool_result")
            {
                events.Add(new AgentToolResultEvent
                {
                    Id = ids.NewId(IdPrefixes.Event),
                    ToolUseId = toolUseEvents[Fields.String(block, "tool_use_id") ?? ""],
                    Content = block.TryGetProperty("content", out var result) ? Blocks(result) : [],
                    IsError = Fields.True(block, "is_error"),
                });
            }
            else
            {
                blocks.AddRange(Blocks(block));
            }
        }

        if (blocks.Count == 0)
        {
            return;
        }

        var text = OpenAIChatTranscripts.Text(blocks);
        if (Fields.True(entry.Line.Entry, "isCompactSummary"))
        {
            // Claude Code's summary replaces everything before it in the context.
            events.Add(new AgentThreadContextCompactedEvent { Id = ids.NewId(IdPrefixes.Event), Summary = text, CompactedMessages = events.Count });
            return;
        }

        FirstUserText ??= text;
        events.Add(leadThreadId is null
            ? new UserMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = blocks }
            : new AgentThreadMessageReceivedEvent { Id = ids.NewId(IdPrefixes.Event), FromSessionThreadId = leadThreadId, Content = blocks });
    }

    // Content as Claude Code writes it: a string, a text or image block, or a list of them.
    private static List<ContentBlock> Blocks(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return [new TextBlock(content.GetString() ?? "")];
            case JsonValueKind.Array:
                return [.. content.EnumerateArray().SelectMany(Blocks)];
            case JsonValueKind.Object when Fields.String(content, "type") == "text":
                return [new TextBlock(Fields.String(content, "text") ?? "")];
            case JsonValueKind.Object when Fields.String(content, "type") == "image" && Fields.Object(content, "source") is { } source
                && Fields.String(source, "type") == "base64" && Fields.String(source, "media_type") is { } mediaType && Fields.String(source, "data") is { } data:
                return [new ImageBlock(new ImageSource(mediaType, data))];
            case JsonValueKind.Object:
                return [new TextBlock($"[{Fields.String(content, "type") ?? "untyped"} omitted]")];
            default:
                return [];
        }
    }

    // Anthropic counts cached input apart from input_tokens; Lucid's input counts the whole prompt.
    private static SessionUsage Usage(JsonElement usage)
    {
        var read = Fields.Number(usage, "cache_read_input_tokens");
        var created = Fields.Number(usage, "cache_creation_input_tokens");
        return new SessionUsage
        {
            InputTokens = Fields.Number(usage, "input_tokens") + read + created,
            OutputTokens = Fields.Number(usage, "output_tokens"),
            CacheReadInputTokens = read,
            CacheCreationInputTokens = created,
        };
    }

    private sealed class Entry(LogLine line, JsonElement message, List<JsonElement> blocks)
    {
        public LogLine Line { get; } = line;

        public JsonElement Message { get; set; } = message;

        public List<JsonElement> Blocks { get; } = blocks;
    }
}
