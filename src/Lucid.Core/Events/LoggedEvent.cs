using System.Text.Json;
using Lucid.Json;

namespace Lucid.Events;

/// <summary>An event as committed to a session's log, with its sequence number (1, 2, 3, … per session, no gaps).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Sequence">The event's position in the session's log.</param>
/// <param name="Event">The event.</param>
public sealed record LoggedEvent(string SessionId, long Sequence, SessionEvent Event)
{
    private string? _json;

    // A copy (`with`) may hold another event: it makes its own JSON.
    private LoggedEvent(LoggedEvent original)
    {
        SessionId = original.SessionId;
        Sequence = original.Sequence;
        Event = original.Event;
    }

    /// <summary>
    /// The event's JSON, which is both its stored form and its form on the wire: serialized at its first use and then
    /// shared, so the store that commits an event and every stream that sends it serialize it once between them.
    /// </summary>
    public string Json => _json ??= JsonSerializer.Serialize(Event, LucidJsonContext.Default.SessionEvent);

    /// <summary>Equal when the log, the sequence and the event are; whether the JSON was made yet does not count.</summary>
    public bool Equals(LoggedEvent? other) =>
        other is not null && SessionId == other.SessionId && Sequence == other.Sequence && EqualityComparer<SessionEvent>.Default.Equals(Event, other.Event);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SessionId, Sequence, Event);
}
