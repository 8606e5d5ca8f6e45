using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Memory;

namespace Lucid.Dreams;

/// <summary>The two model stages' instructions, JSON schemas, shared prompt sections and reply parsing.</summary>
internal static class DreamPrompts
{
    private const string ReflectInstructions = """
        You study transcripts of an AI agent's past sessions to find lessons that will help it next time. You see
        digests of the sessions (each line ends with the event IDs it came from, in brackets), patterns mined across
        them with counts, and the memory store the agent already has.
        Propose candidate lessons: mistakes that recur and how they were fixed, rubric criteria that keep failing and
        what would satisfy them, detours that waste tokens. Also name what the existing memories get wrong when newer
        sessions show it. Each lesson says when it applies and what to do, and cites the event IDs that support it —
        only IDs that appear in the digests. When sessions name their task ("Task ID"), prefer lessons whose evidence
        spans several tasks: a lesson seen in one task only is kept for that task's sessions. Never copy credentials,
        keys, tokens or passwords into a lesson. Reply with JSON only, matching the schema.
        """;

    private const string CurateInstructions = """
        You curate an AI agent's memory store: a small set of plain markdown lessons that are mounted into its next
        sessions. You see the store as it is (path, sha256, content) and candidate lessons from recent sessions, each
        citing event IDs. Propose edit operations:
        - "add": a new lesson at a free path such as /lessons/<topic>.md;
        - "update": rewrite the lesson at an existing path with the new evidence;
        - "merge": combine near-duplicate memories listed in "sources" (existing paths) into one lesson at "path";
        - "retire": remove a lesson at "path" that newer evidence contradicts (cite that evidence) or that no longer helps.
        For add, update and merge give title, when (when it applies), do (what to do) and evidence (event IDs). Give a
        reason for every operation. Do not add a lesson that repeats an existing memory: update or merge instead. Keep
        the whole store under its size budget. Never write credentials, keys, tokens or passwords. Paths under /dreams/
        are reserved for reports. A new lesson whose evidence all comes from one task is stored under /tasks/<task>/ and
        listed to that task's sessions only.
        - "add_skill": only when the prompt lists workflows that succeeded repeatedly and says skills may be proposed,
        turn such a workflow into a skill instead of a lesson: path is the skill's name (lowercase letters, digits and
        hyphens, such as book-with-split-payment), title its description on one line (what it does and when to use it),
        when when to use it, do its steps one per line, and evidence event IDs of at least 3 sessions that followed that
        same workflow. Reply with JSON only, matching the schema.
        """;

    private static readonly JsonElement ReflectSchema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "lessons":{"type":"array","items":{"type":"object","properties":{
            "title":{"type":"string"},"when":{"type":"string"},"do":{"type":"string"},
            "evidence":{"type":"array","items":{"type":"string"}}},
            "required":["title","when","do","evidence"],"additionalProperties":false}}},
         "required":["lessons"],"additionalProperties":false}
        """).RootElement.Clone();

    private static readonly JsonElement CurateSchema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "operations":{"type":"array","items":{"type":"object","properties":{
            "op":{"type":"string","enum":["add","update","merge","retire","add_skill"]},
            "path":{"type":"string"},
            "sources":{"type":"array","items":{"type":"string"}},
            "title":{"type":"string"},"when":{"type":"string"},"do":{"type":"string"},
            "evidence":{"type":"array","items":{"type":"string"}},
            "reason":{"type":"string"}},
            "required":["op","path","sources","title","when","do","evidence","reason"],"additionalProperties":false}}},
         "required":["operations"],"additionalProperties":false}
        """).RootElement.Clone();

    /// <summary>The reflect stage's request.</summary>
    public static readonly DreamPrompt Reflect = new(DreamStage.Reflect, ReflectInstructions, ReflectSchema, "dream_lessons");

    /// <summary>The curate stage's request.</summary>
    public static readonly DreamPrompt Curate = new(DreamStage.Curate, CurateInstructions, CurateSchema, "dream_operations");

    /// <summary>A prompt that starts with the caller's instructions, when the dream has any.</summary>
    public static StringBuilder Start(Dream dream)
    {
        ArgumentNullException.ThrowIfNull(dream);
        var prompt = new StringBuilder();
        if (dream.Instructions is { } instructions)
        {
            prompt.Append("# Instructions from the person who started this dream\n").Append(instructions).Append("\n\n");
        }

        return prompt;
    }

    /// <summary>The memories of a store with their hashes and sizes, reports left out.</summary>
    public static string Memories(IEnumerable<MemoryDocument> memories)
    {
        var text = new StringBuilder();
        foreach (var memory in memories.Where(m => !Dream.IsReportPath(m.Path)))
        {
            text.Append(CultureInfo.InvariantCulture, $"## {memory.Path} (sha256 {memory.ContentSha256}, {memory.ContentSizeBytes} bytes)\n{memory.Content}\n\n");
        }

        return text.Length == 0 ? "(empty)\n" : text.ToString();
    }

    /// <summary>
    /// Adds the mined workflows to a curate prompt: for a dream with review, as skills it may propose; for one without,
    /// only that it may not (its changes are written as it runs, and a skill is created only on a reviewer's word).
    /// </summary>
    public static StringBuilder Workflows(StringBuilder prompt, IReadOnlyList<WorkflowPattern> workflows, bool reviewed)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(workflows);
        if (workflows.Count == 0)
        {
            return prompt;
        }

        if (!reviewed)
        {
            return prompt.Append("\n# Skills\nThis dream writes memory directly, without review, so it may not propose skills: use no add_skill.\n");
        }

        prompt.Append("\n# Workflows that succeeded repeatedly (skills may be proposed with add_skill)\n");
        foreach (var workflow in workflows)
        {
            prompt.Append(CultureInfo.InvariantCulture,
                $"- {workflow.Sequence}: {workflow.Sessions} passing sessions, {workflow.Tasks} tasks; sessions {string.Join(", ", workflow.SessionIds.Take(20))}; events {string.Join(", ", workflow.EventIds)}\n");
        }

        return prompt;
    }

    /// <summary>Parses a reflect reply, or says what is wrong with it.</summary>
    public static IReadOnlyList<DreamLesson>? ParseLessons(string text, out string? problem) =>
        Parse(text, "lessons", "each lesson needs title, when and do (strings) and evidence (an array of event IDs)", out problem,
            item => Str(item, "title") is { } title && Str(item, "when") is { } when && Str(item, "do") is { } action
                ? new DreamLesson(title, when, action, Strings(item, "evidence"))
                : null);

    /// <summary>Parses a curate reply, or says what is wrong with it.</summary>
    public static IReadOnlyList<DreamOperation>? ParseOperations(string text, out string? problem) =>
        Parse(text, "operations", "each operation needs op (add, update, merge, retire or add_skill) and path", out problem,
            item => Str(item, "op") is { } op && Str(item, "path") is { } path
                ? new DreamOperation(op, path, Strings(item, "sources"), Str(item, "title") ?? "", Str(item, "when") ?? "", Str(item, "do") ?? "", Strings(item, "evidence"), Str(item, "reason") ?? "")
                : null);

    // The reply's array of objects, each read by `read`; null (with the problem) when the JSON or any item does not fit.
    private static List<T>? Parse<T>(string text, string arrayName, string itemProblem, out string? problem, Func<JsonElement, T?> read)
        where T : class
    {
        var root = Root(text, arrayName, out problem);
        if (root is null)
        {
            return null;
        }

        var items = new List<T>();
        foreach (var item in root.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || read(item) is not { } parsed)
            {
                problem = itemProblem;
                return null;
            }

            items.Add(parsed);
        }

        return items;
    }

    private static JsonElement? Root(string text, string arrayName, out string? problem)
    {
        problem = null;
        var json = Models.ModelJson.Unfence(text);

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(arrayName, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                problem = $"it needs an object with an array \"{arrayName}\"";
                return null;
            }

            return array.Clone();
        }
        catch (JsonException ex)
        {
            problem = $"it is not JSON ({ex.Message})";
            return null;
        }
    }

    private static string? Str(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> Strings(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString() ?? "")]
            : [];
}
