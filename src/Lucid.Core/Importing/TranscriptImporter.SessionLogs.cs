using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Threads;

namespace Lucid.Importing;

/// <summary>
/// Session logs (Claude Code, Codex): a session is a whole log, and its subagents' logs are its child threads. The key
/// of a session is the SHA-256 of its lines, so a log imported before is skipped and one that grew since is a new
/// session. Threads are written before the session's own log, which is written last: a session with a log is complete,
/// and an import stopped before that point is completed by the next one (a thread with a log is not written again).
/// </summary>
public sealed partial class TranscriptImporter
{
    private async Task<ImportReport> ImportSessionLogsAsync(
        string workspaceId, string format, string sourceName, List<(string Name, ReadOnlyMemory<byte> Bytes)> files, ISessionLogFormat logs, CancellationToken cancellationToken)
    {
        var imported = new List<ImportedRecord>();
        var skipped = new List<SkippedRecord>();
        var malformed = new List<MalformedRecord>();
        var ignored = new IgnoredLines();
        var sessions = logs.Sessions([.. files.Select(f => ReadLog(f.Name, f.Bytes, malformed))], ignored);
        var agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
        AgentEnvironment? environment = null;
        foreach (var log in sessions)
        {
            var key = Key(log.Lines.Select(l => l.Entry));
            var sessionId = DerivedId(IdPrefixes.Session, workspaceId, format, key);
            var existing = await _store.GetSessionAsync(sessionId, cancellationToken);
            if (existing is { LastSequence: > 0 })
            {
                skipped.Add(new SkippedRecord(log.Position, sessionId, $"already imported as {sessionId}"));
                continue;
            }

            var converted = logs.Convert(log, sessionId, thread => DerivedId(IdPrefixes.Thread, workspaceId, format, $"{key}\n{thread}"), ignored);
            malformed.AddRange(converted.Malformed);
            if (converted.Transcript.Events.Count == 0)
            {
                malformed.Add(new MalformedRecord(log.Position, $"session {log.SourceId} holds no message, tool call or compaction to import"));
                continue;
            }

            environment ??= await EnvironmentAsync(workspaceId, cancellationToken);
            var agent = await AgentAsync(workspaceId, format, converted.Transcript.SystemPrompt, agents, cancellationToken);
            if (existing is null)
            {
                await _store.CreateSessionAsync(NewSession(workspaceId, sessionId, agent, environment, converted.Transcript, format, sourceName, key, log.Position), cancellationToken);
            }

            var count = 0;
            foreach (var thread in converted.Threads)
            {
                count += await WriteThreadAsync(sessionId, format, agent, thread, cancellationToken);
            }

            var events = Stamped(converted.Transcript.Events);
            await _events.AppendAsync(LogId.Of(sessionId), events, cancellationToken);
            imported.Add(new ImportedRecord(log.Position, sessionId, count + events.Count));
        }

        return new ImportReport
        {
            Format = format,
            Source = sourceName,
            WorkspaceId = workspaceId,
            Records = sessions.Count,
            Imported = imported,
            Skipped = skipped,
            Malformed = malformed,
            Ignored = ignored.ToDictionary(),
        };
    }

    // Returns the events written: none when an earlier import wrote the thread's log.
    private async Task<int> WriteThreadAsync(string sessionId, string format, Agent agent, ThreadTranscript transcript, CancellationToken cancellationToken)
    {
        var thread = await _store.GetThreadAsync(transcript.Id, cancellationToken);
        if (thread is { LastSequence: > 0 })
        {
            return 0;
        }

        if (thread is null)
        {
            var now = _time.GetUtcNow();
            await _store.CreateThreadAsync(new SessionThread
            {
                Id = transcript.Id,
                SessionId = sessionId,
                ParentThreadId = SessionThread.PrimaryId(sessionId),
                Depth = 1,
                Agent = agent with { Id = "", Version = 0, Name = transcript.AgentName, Description = $"Stands for a subagent of transcripts imported from {format}; it ran elsewhere.", System = null },
                IsInline = true,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
        }

        var events = Stamped(transcript.Events);
        await _events.AppendAsync(LogId.Of(transcript.Id), events, cancellationToken);
        return events.Count;
    }

    // A line that is not JSON, or not an object with a "type", is malformed; the others are the log's lines.
    private static LogFile ReadLog(string name, ReadOnlyMemory<byte> bytes, List<MalformedRecord> malformed)
    {
        var lines = new List<LogLine>();
        foreach (var record in SourceRecords.Lines(bytes, name))
        {
            if (record.Element is not { } element)
            {
                malformed.Add(new MalformedRecord(record.Position, record.Error ?? "unreadable"));
            }
            else if (Fields.String(element, "type") is { } type)
            {
                lines.Add(new LogLine(record.Position, element, type));
            }
            else
            {
                malformed.Add(new MalformedRecord(record.Position, "not an object with a \"type\""));
            }
        }

        return new LogFile(name, lines);
    }
}
