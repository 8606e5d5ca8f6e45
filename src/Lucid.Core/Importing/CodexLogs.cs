using System.Text.Json;
using System.Text.RegularExpressions;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Sessions;

namespace Lucid.Importing;

/// <summary>
/// Codex CLI rollouts (<c>~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl</c>): lines <c>{timestamp, type, payload}</c> as
/// the <c>RolloutItem</c> enum of the <c>codex-rs/protocol</c> crate writes them. Each file is one session. The first
/// <c>session_meta</c> gives the session's metadata and its instructions the system prompt; <c>response_item</c>s
/// become events (messages, reasoning, function, custom, local-shell and web-search calls, call outputs by
/// <c>call_id</c>); <c>compacted</c> becomes a context compaction; the growth of <c>token_count</c> totals becomes model
/// requests with their usage; <c>turn_context</c> (whose model is kept as metadata) and other <c>event_msg</c>s are
/// counted as ignored.
/// </summary>
internal sealed partial class CodexLogs(IdGenerator ids) : ISessionLogFormat
{
    public IReadOnlyList<SessionLog> Sessions(IReadOnlyList<LogFile> files, IgnoredLines ignored) =>
    [
        .. files.Where(f => f.Lines.Count > 0).Select(f => new SessionLog(
            f.Lines.Where(l => l.Type == "session_meta").Select(l => Fields.Object(l.Entry, "payload") is { } p ? Fields.String(p, "id") : null).FirstOrDefault(id => id is not null)
                ?? (f.Name.Length > 0 ? f.Name : f.Lines[0].Position),
            f.Lines)),
    ];

    public ConvertedLog Convert(SessionLog log, string sessionId, Func<string, string> threadId, IgnoredLines ignored)
    {
        var state = new State(log, ignored);
        foreach (var line in log.Lines)
        {
            if (Fields.Object(line.Entry, "payload") is not { } payload)
            {
                state.Malformed.Add(new MalformedRecord(line.Position, $"{line.Type} line has no \"payload\" object"));
                continue;
            }

            switch (line.Type)
            {
                case "session_meta" when !state.Metadata.ContainsKey("codex.session_id"):
                    Meta(payload, state);
                    break;
                case "response_item":
                    Item(line, payload, state);
                    break;
                case "compacted" when Fields.String(payload, "message") is { } summary:
                    state.Events.Add(new AgentThreadContextCompactedEvent { Id = ids.NewId(IdPrefixes.Event), Summary = summary, CompactedMessages = state.Events.Count });
                    break;
                case "compacted":
                    state.Malformed.Add(new MalformedRecord(line.Position, "compacted line has no payload.message"));
                    break;
                case "event_msg" when Fields.String(payload, "type") == "token_count":
                    Usage(payload, state);
                    break;
                case "event_msg":
                    ignored.Add($"event_msg/{Fields.String(payload, "type") ?? "untyped"}");
                    break;
                default:
                    if (line.Type == "turn_context" && Fields.String(payload, "model") is { } model)
                    {
                        state.Model = model;
                        state.Metadata.TryAdd("codex.model", model);
                    }

                    ignored.Add(line.Type);
                    break;
            }
        }

        var title = state.Events.OfType<UserMessageEvent>().Select(u => OpenAIChatTranscripts.Text(u.Content)).FirstOrDefault(t => !t.TrimStart().StartsWith('<'));
        return new ConvertedLog
        {
            Transcript = new Transcript
            {
                SystemPrompt = state.System.Count == 0 ? null : string.Join("\n\n", state.System),
                Title = title is null ? null : OpenAIChatTranscripts.Shorten(title, 80),
                Metadata = state.Metadata,
                Events = state.Events,
            },
            Malformed = state.Malformed,
        };
    }

    private static void Meta(JsonElement payload, State state)
    {
        state.Metadata["codex.session_id"] = Fields.String(payload, "id") ?? state.Log.SourceId;
        foreach (var (field, key) in new[] { ("cwd", "codex.cwd"), ("cli_version", "codex.cli_version"), ("originator", "codex.originator") })
        {
            if (Fields.String(payload, field) is { Length: > 0 } value)
            {
                state.Metadata[key] = value;
            }
        }

        // Older versions write the instructions as a string, newer ones as base_instructions.text.
        if ((Fields.String(payload, "instructions") ?? (Fields.Object(payload, "base_instructions") is { } b ? Fields.String(b, "text") : null)) is { Length: > 0 } instructions)
        {
            state.System.Add(instructions);
        }
    }

    private void Item(LogLine line, JsonElement item, State state)
    {
        var type = Fields.String(item, "type") ?? "untyped";
        switch (type)
        {
            case "message":
                Message(line, item, state);
                break;
            case "reasoning":
                var parts = (Fields.Array(item, "content") ?? Fields.Array(item, "summary"))?.EnumerateArray().Select(p => Fields.String(p, "text")).OfType<string>().ToList() ?? [];
                state.Events.Add(new AgentThinkingEvent { Id = ids.NewId(IdPrefixes.Event), Text = parts.Count == 0 ? null : string.Join("\n\n", parts) });
                break;
            case "function_call":
                Call(line, item, Fields.String(item, "name"), Fields.Arguments(Fields.String(item, "arguments")), state);
                break;
            case "custom_tool_call":
                Call(line, item, Fields.String(item, "name"), Fields.InputObject(Fields.String(item, "input") ?? "", "input"), state);
                break;
            case "local_shell_call":
                Call(line, item, "local_shell", Fields.Object(item, "action")?.Clone() ?? JsonElement.Parse("{}"), state);
                break;
            case "web_search_call":
                Call(line, item, "web_search", Fields.Object(item, "action")?.Clone() ?? JsonElement.Parse("{}"), state);
                break;
            case "function_call_output" or "custom_tool_call_output":
                Output(line, item, state);
                break;
            default:
                state.Ignored.Add($"response_item/{type}");
                break;
        }
    }

    private void Message(LogLine line, JsonElement item, State state)
    {
        var content = Fields.Array(item, "content");
        var role = Fields.String(item, "role");
        if (content is null || role is null)
        {
            state.Malformed.Add(new MalformedRecord(line.Position, "message has no \"role\" or no \"content\" list"));
            return;
        }

        List<ContentBlock> blocks = [.. content.Value.EnumerateArray().Select(p => Fields.String(p, "text") is { } text ? new TextBlock(text) : new TextBlock($"[{Fields.String(p, "type") ?? "untyped"} omitted]"))];
        switch (role)
        {
            case "user":
                state.Events.Add(new UserMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = blocks });
                break;
            case "assistant":
                state.Events.Add(new AgentMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = blocks });
                break;
            case "developer" or "system" when !state.System.Contains(OpenAIChatTranscripts.Text(blocks)):
                state.System.Add(OpenAIChatTranscripts.Text(blocks));
                break;
            case "developer" or "system":
                break;
            default:
                state.Malformed.Add(new MalformedRecord(line.Position, $"message has the unknown role '{role}'"));
                break;
        }
    }

    private void Call(LogLine line, JsonElement item, string? name, JsonElement input, State state)
    {
        if (string.IsNullOrEmpty(name))
        {
            state.Malformed.Add(new MalformedRecord(line.Position, $"{Fields.String(item, "type")} has no \"name\""));
            return;
        }

        var use = new AgentToolUseEvent { Id = ids.NewId(IdPrefixes.Event), Name = name, Input = input, EvaluatedPermission = ToolPermissions.Allow };
        state.Events.Add(use);
        if ((Fields.String(item, "call_id") ?? Fields.String(item, "id")) is { } callId)
        {
            state.Calls[callId] = use.Id;
        }
    }

    private void Output(LogLine line, JsonElement item, State state)
    {
        var callId = Fields.String(item, "call_id");
        if (callId is null || !state.Calls.TryGetValue(callId, out var toolUseId))
        {
            state.Malformed.Add(new MalformedRecord(line.Position, $"{Fields.String(item, "type")} answers call_id '{callId}', which no earlier call made"));
            return;
        }

        var (text, failed) = item.TryGetProperty("output", out var output) ? OutputText(output) : ("", false);
        state.Events.Add(new AgentToolResultEvent { Id = ids.NewId(IdPrefixes.Event), ToolUseId = toolUseId, Content = [new TextBlock(text)], IsError = failed });
    }

    // An output is a string, a list of content items, or (older versions, on failure) {content, success}. A shell
    // command's string holds its exit code: JSON {output, metadata: {exit_code}}, or text starting "Exit code: N".
    private static (string Text, bool Failed) OutputText(JsonElement output)
    {
        switch (output.ValueKind)
        {
            case JsonValueKind.Array:
                return (string.Concat(output.EnumerateArray().Select(p => Fields.String(p, "text") ?? $"[{Fields.String(p, "type") ?? "untyped"} omitted]")), false);
            case JsonValueKind.Object:
                return (Fields.String(output, "content") ?? output.GetRawText(), output.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.False);
            case JsonValueKind.String:
                var text = output.GetString() ?? "";
                if (text.StartsWith('{') && ShellOutput(text) is { ValueKind: JsonValueKind.Object } shell && Fields.String(shell, "output") is { } shellOutput)
                {
                    return (shellOutput, Fields.Object(shell, "metadata") is { } metadata && Fields.Number(metadata, "exit_code") != 0);
                }

                return (text, ExitCode().Match(text) is { Success: true } m && m.Groups[1].Value != "0");
            default:
                return (output.GetRawText(), false);
        }
    }

    // A shell output that is JSON: {output, metadata: {exit_code}}.
    private static JsonElement? ShellOutput(string text)
    {
        try
        {
            return JsonElement.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // token_count totals are cumulative and repeated: each growth is one or more model requests since the last.
    private void Usage(JsonElement payload, State state)
    {
        var total = Fields.Object(payload, "info") is { } info ? Fields.Object(info, "total_token_usage") : null;
        if (total is not { } t)
        {
            state.Ignored.Add("event_msg/token_count");
            return;
        }

        var (input, cached, output) = (Fields.Number(t, "input_tokens"), Fields.Number(t, "cached_input_tokens"), Fields.Number(t, "output_tokens"));
        if (input <= state.Input && output <= state.Output)
        {
            state.Ignored.Add("event_msg/token_count");
            return;
        }

        var start = new SpanModelRequestStartEvent { Id = ids.NewId(IdPrefixes.Event), Model = state.Model };
        var usage = new SessionUsage { InputTokens = input - state.Input, CacheReadInputTokens = cached - state.Cached, OutputTokens = output - state.Output };
        state.Events.Add(start);
        state.Events.Add(new SpanModelRequestEndEvent { Id = ids.NewId(IdPrefixes.Event), ModelRequestStartId = start.Id, ModelUsage = usage });
        (state.Input, state.Cached, state.Output) = (input, cached, output);
    }

    [GeneratedRegex(@"^Exit code: (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ExitCode();

    private sealed class State(SessionLog log, IgnoredLines ignored)
    {
        public SessionLog Log { get; } = log;

        public IgnoredLines Ignored { get; } = ignored;

        public List<SessionEvent> Events { get; } = [];

        public List<MalformedRecord> Malformed { get; } = [];

        public List<string> System { get; } = [];

        public Dictionary<string, string> Calls { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

        public string? Model { get; set; }

        public long Input { get; set; }

        public long Cached { get; set; }

        public long Output { get; set; }
    }
}
