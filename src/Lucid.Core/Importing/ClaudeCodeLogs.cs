using System.Text.Json;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Threads;

namespace Lucid.Importing;

/// <summary>
/// Claude Code session logs (<c>~/.claude/projects/PROJECT/SESSION.jsonl</c>). Lines are grouped into sessions by
/// <c>sessionId</c>, across files, so a project folder imports whole; lines with no <c>sessionId</c> (file snapshots)
/// join the session of the lines around them. Within a session, <c>isSidechain</c> lines — inline sidechains of older
/// versions, <c>agent-*.jsonl</c> and <c>SESSION/subagents/agent-*.jsonl</c> of newer ones — are subagents: each
/// (<c>agentId</c>, or the root of its <c>parentUuid</c> chain) becomes a child thread, started at the <c>Task</c> tool
/// use that ran it (<c>toolUseResult.agentId</c> of its result, or the call whose <c>prompt</c> is the subagent's first
/// message). A <c>summary</c> line titles the session whose line its <c>leafUuid</c> names.
/// </summary>
internal sealed class ClaudeCodeLogs(IdGenerator ids) : ISessionLogFormat
{
    private const string DefaultAgentName = "subagent";

    public IReadOnlyList<SessionLog> Sessions(IReadOnlyList<LogFile> files, IgnoredLines ignored)
    {
        var sessions = new Dictionary<string, List<LogLine>>(StringComparer.Ordinal);
        var summaries = new List<(string Leaf, string Text)>();
        foreach (var file in files)
        {
            string? current = null;
            var waiting = new List<LogLine>();
            foreach (var line in file.Lines)
            {
                if (line.Type == "summary")
                {
                    summaries.Add((Fields.String(line.Entry, "leafUuid") ?? "", Fields.String(line.Entry, "summary") ?? ""));
                    continue;
                }

                if (Fields.String(line.Entry, "sessionId") is { } sessionId)
                {
                    current = sessionId;
                    if (!sessions.TryGetValue(sessionId, out var lines))
                    {
                        sessions[sessionId] = lines = [];
                    }

                    lines.AddRange(waiting);
                    waiting.Clear();
                    lines.Add(line);
                }
                else if (current is null)
                {
                    waiting.Add(line);
                }
                else
                {
                    sessions[current].Add(line);
                }
            }

            foreach (var line in waiting)
            {
                ignored.Add(line.Type);
            }
        }

        var result = new List<SessionLog>();
        foreach (var (sessionId, lines) in sessions)
        {
            var uuids = lines.Select(l => Fields.String(l.Entry, "uuid")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var title = summaries.LastOrDefault(s => uuids.Contains(s.Leaf)).Text;
            result.Add(new SessionLog(sessionId, lines, string.IsNullOrEmpty(title) ? null : title));
        }

        var used = result.SelectMany(s => s.Lines).Select(l => Fields.String(l.Entry, "uuid")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var unused in summaries.Where(s => !used.Contains(s.Leaf)))
        {
            ignored.Add("summary");
        }

        return result;
    }

    public ConvertedLog Convert(SessionLog log, string sessionId, Func<string, string> threadId, IgnoredLines ignored)
    {
        var malformed = new List<MalformedRecord>();
        var toolUseEvents = new Dictionary<string, string>(StringComparer.Ordinal);
        var primary = new ClaudeCodeEvents(ids, ignored, malformed, toolUseEvents);
        var subagents = new Dictionary<string, ClaudeCodeEvents>(StringComparer.Ordinal);
        var roots = SidechainRoots(log.Lines);
        foreach (var line in log.Lines)
        {
            if (!Fields.True(line.Entry, "isSidechain"))
            {
                primary.Add(line);
                continue;
            }

            var key = Fields.String(line.Entry, "agentId") ?? roots.GetValueOrDefault(Fields.String(line.Entry, "uuid") ?? "", line.Position);
            if (!subagents.TryGetValue(key, out var subagent))
            {
                subagents[key] = subagent = new ClaudeCodeEvents(ids, ignored, malformed, toolUseEvents);
            }

            subagent.Add(line);
        }

        var leadThreadId = SessionThread.PrimaryId(sessionId);
        var threads = subagents
            .Select(s => (s.Key, Events: s.Value.Render(_ => [], leadThreadId), Prompt: s.Value.FirstUserText))
            .Where(t => t.Events.Count > 0)
            .ToList();
        var calls = ThreadCalls(log.Lines, primary, threads.Select(t => (t.Key, t.Prompt)));
        var transcripts = new List<ThreadTranscript>();
        var startedBy = new Dictionary<string, IReadOnlyList<SessionEvent>>(StringComparer.Ordinal);
        var unlinked = new List<SessionEvent>();
        foreach (var (key, threadEvents, prompt) in threads)
        {
            var call = calls.GetValueOrDefault(key);
            var input = call.ValueKind == JsonValueKind.Object ? Fields.Object(call, "input") : null;
            var name = input is { } i && Fields.String(i, "subagent_type") is { Length: > 0 } type ? type : DefaultAgentName;
            var transcript = new ThreadTranscript(threadId(key), name, threadEvents);
            transcripts.Add(transcript);
            var start = Start(transcript, prompt ?? (input is { } p ? Fields.String(p, "prompt") : null) ?? "");
            if (call.ValueKind == JsonValueKind.Object)
            {
                startedBy[Fields.String(call, "id") ?? ""] = start;
            }
            else
            {
                unlinked.AddRange(start);
            }
        }

        var events = primary.Render(toolUseId => startedBy.GetValueOrDefault(toolUseId) ?? [], null);
        events.AddRange(unlinked);
        var firstUser = primary.FirstUserText;
        return new ConvertedLog
        {
            Transcript = new Transcript
            {
                Events = events,
                Title = (log.Title ?? firstUser) is { } title ? OpenAIChatTranscripts.Shorten(title, 80) : null,
                Metadata = Metadata(log),
            },
            Threads = transcripts,
            Malformed = malformed,
        };
    }

    // The session's ID and the context its first lines record.
    private static Dictionary<string, string> Metadata(SessionLog log)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["claude_code.session_id"] = log.SourceId };
        foreach (var (field, key) in new[] { ("cwd", "claude_code.cwd"), ("version", "claude_code.version"), ("gitBranch", "claude_code.git_branch") })
        {
            if (log.Lines.Select(l => Fields.String(l.Entry, field)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) is { } value)
            {
                metadata[key] = value;
            }
        }

        return metadata;
    }

    // A thread starts in the lead's log as Lucid's own threads do: created, then sent its task.
    private List<SessionEvent> Start(ThreadTranscript thread, string task) =>
    [
        new SessionThreadCreatedEvent { Id = ids.NewId(IdPrefixes.Event), SessionThreadId = thread.Id, AgentName = thread.AgentName },
        new AgentThreadMessageSentEvent { Id = ids.NewId(IdPrefixes.Event), ToSessionThreadId = thread.Id, ToAgentName = thread.AgentName, Content = [new TextBlock(task)] },
    ];

    // The tool_use block that ran each subagent: the call whose result names its agentId, else an unclaimed call whose
    // input.prompt is the subagent's first message.
    private static Dictionary<string, JsonElement> ThreadCalls(IReadOnlyList<LogLine> lines, ClaudeCodeEvents primary, IEnumerable<(string Key, string? Prompt)> threads)
    {
        var byAgent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Type == "user" && !Fields.True(l.Entry, "isSidechain")))
        {
            if (Fields.Object(line.Entry, "toolUseResult") is { } result && Fields.String(result, "agentId") is { } agentId
                && Fields.Object(line.Entry, "message") is { } message && Fields.Array(message, "content") is { } content
                && content.EnumerateArray().Select(b => Fields.String(b, "tool_use_id")).FirstOrDefault(id => id is not null) is { } toolUseId)
            {
                byAgent[agentId] = toolUseId;
            }
        }

        var uses = primary.ToolUses.ToList();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var calls = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, prompt) in threads)
        {
            var call = uses.FirstOrDefault(u => byAgent.TryGetValue(key, out var id) && Fields.String(u, "id") == id);
            if (call.ValueKind != JsonValueKind.Object && prompt is not null)
            {
                call = uses.FirstOrDefault(u => !claimed.Contains(Fields.String(u, "id") ?? "")
                    && Fields.Object(u, "input") is { } input && Fields.String(input, "prompt") == prompt);
            }

            if (call.ValueKind == JsonValueKind.Object && claimed.Add(Fields.String(call, "id") ?? ""))
            {
                calls[key] = call;
            }
        }

        return calls;
    }

    // Sidechains of older versions have no agentId: each is the chain of parentUuid links up to its first line.
    private static Dictionary<string, string> SidechainRoots(IReadOnlyList<LogLine> lines)
    {
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => Fields.True(l.Entry, "isSidechain") && Fields.String(l.Entry, "agentId") is null))
        {
            if (Fields.String(line.Entry, "uuid") is { } uuid)
            {
                parents[uuid] = Fields.String(line.Entry, "parentUuid");
            }
        }

        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var uuid in parents.Keys)
        {
            var root = uuid;
            for (var steps = 0; steps < parents.Count && parents.GetValueOrDefault(root) is { } parent && parents.ContainsKey(parent); steps++)
            {
                root = parent;
            }

            roots[uuid] = root;
        }

        return roots;
    }
}
