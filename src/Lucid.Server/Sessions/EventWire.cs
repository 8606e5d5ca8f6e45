using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Outcomes;
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
        JsonNode.Parse(logged.Json) ?? throw new InvalidOperationException("An event serialized to null.");

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
            "user.interrupt" => new UserInterruptEvent { SessionThreadId = e.String("session_thread_id", 128) },
            "user.tool_confirmation" => NoThread(e) ?? new UserToolConfirmationEvent
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
            "user.custom_tool_result" => NoThread(e) ?? new UserCustomToolResultEvent
            {
                CustomToolUseId = e.RequiredString("custom_tool_use_id", 128),
                Content = Content(e, required: false),
                IsError = e.Bool("is_error") ?? false,
            },
            "user.define_outcome" => ReadOutcome(e),
            "system.message" => NoThread(e) ?? new SystemMessageEvent { Content = Content(e, required: true) },
            _ => throw RequestException.Invalid(e.PathOf("type"), $"'{type}' is not an event a client can send; use user.message, user.interrupt, user.tool_confirmation, user.custom_tool_result, user.define_outcome or system.message."),
        };
    }

    // Child threads never wait for the client (their always_ask calls are reported to their lead), so an answer is
    // always for the primary thread; naming a thread is refused rather than ignored.
    private static SessionEvent? NoThread(WireObject e) =>
        e.String("session_thread_id", 128) is { } thread
            ? throw RequestException.Invalid(e.PathOf("session_thread_id"), $"session_thread_id is not supported on {e.RequiredString("type")}: child threads take no tool confirmations or custom tool results; omit it (got '{thread}').")
            : null;

    private static UserDefineOutcomeEvent ReadOutcome(WireObject e)
    {
        var rubric = e.RequiredObject("rubric");
        var rubricType = rubric.RequiredString("type");
        if (rubricType is not ("text" or "file"))
        {
            throw RequestException.Invalid(rubric.PathOf("type"), $"Rubric type '{rubricType}' is not supported; use text or file.");
        }

        var checks = new List<OutcomeCheck>();
        foreach (var (item, path) in e.Array("checks", 50))
        {
            var check = new WireObject(item, path);
            var type = check.RequiredString("type");
            checks.Add(type switch
            {
                "command" => new CommandCheck(check.RequiredString("command", 10_000), check.Int("timeout_ms", 1, 600_000)),
                "file_exists" => new FileExistsCheck(check.RequiredString("path", 1024)),
                "pattern" => new PatternCheck(check.RequiredString("path", 1024), check.RequiredString("pattern", 10_000), check.Bool("must_match") ?? true),
                _ => throw RequestException.Invalid(check.PathOf("type"), $"Check type '{type}' is not supported; use command, file_exists or pattern."),
            });
        }

        return new UserDefineOutcomeEvent
        {
            Description = e.RequiredString("description", 100_000),
            Rubric = rubricType == "file"
                ? OutcomeRubric.File(Requests.Id(rubric.RequiredString("file_id", 128), Ids.IdPrefixes.File, rubric.PathOf("file_id")))
                : OutcomeRubric.Text(rubric.RequiredString("content", Validation.Rules.MaxRubricLength)),
            MaxIterations = e.Int("max_iterations", 1, UserDefineOutcomeEvent.MostIterations) ?? UserDefineOutcomeEvent.DefaultMaxIterations,
            Checks = checks.Count > 0 ? checks : null,
            GraderModel = e.String("grader_model", 256),
            GraderSamples = e.Int("grader_samples", 1, Validation.Rules.MaxGraderSamples),
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
