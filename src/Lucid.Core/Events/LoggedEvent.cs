namespace Lucid.Events;

/// <summary>An event as committed to a session's log, with its sequence number (1, 2, 3, … per session, no gaps).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Sequence">The event's position in the session's log.</param>
/// <param name="Event">The event.</param>
public sealed record LoggedEvent(string SessionId, long Sequence, SessionEvent Event);
