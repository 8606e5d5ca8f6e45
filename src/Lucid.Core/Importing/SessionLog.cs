using System.Text.Json;
using Lucid.Events;

namespace Lucid.Importing;

/// <summary>A well-formed line of a session log: where it is, its entry, and the entry's <c>type</c>.</summary>
internal readonly record struct LogLine(string Position, JsonElement Entry, string Type);

/// <summary>The well-formed lines of one file of session logs, in order.</summary>
internal sealed record LogFile(string Name, IReadOnlyList<LogLine> Lines);

/// <summary>
/// The lines that make one session, in order. Its key (and so its ID) comes from <see cref="Lines"/> only; a title kept
/// elsewhere in the source (Claude Code writes a session's summary into later sessions' files) does not change it.
/// </summary>
internal sealed record SessionLog(string SourceId, IReadOnlyList<LogLine> Lines, string? Title = null)
{
    /// <summary>Where the session starts in the source.</summary>
    public string Position => Lines[0].Position;
}

/// <summary>A session log converted: the primary log's transcript, its threads, and what could not be used.</summary>
internal sealed record ConvertedLog
{
    public required Transcript Transcript { get; init; }

    public IReadOnlyList<ThreadTranscript> Threads { get; init; } = [];

    public IReadOnlyList<MalformedRecord> Malformed { get; init; } = [];
}

/// <summary>A child thread of an imported session: its ID (derived from the session's), its agent's name and its log.</summary>
internal sealed record ThreadTranscript(string Id, string AgentName, IReadOnlyList<SessionEvent> Events);

/// <summary>A session-log format: how its lines form sessions, and how a session's lines become events.</summary>
internal interface ISessionLogFormat
{
    /// <summary>Splits the lines of every file into sessions; lines that belong to none are counted in <paramref name="ignored"/>.</summary>
    IReadOnlyList<SessionLog> Sessions(IReadOnlyList<LogFile> files, IgnoredLines ignored);

    /// <summary>
    /// Converts a session's lines. Lines of no interest are counted in <paramref name="ignored"/>; a line that cannot be
    /// read is reported in the result and left out. The session will be <paramref name="sessionId"/>;
    /// <paramref name="threadId"/> gives the ID of its thread with a key.
    /// </summary>
    ConvertedLog Convert(SessionLog log, string sessionId, Func<string, string> threadId, IgnoredLines ignored);
}
