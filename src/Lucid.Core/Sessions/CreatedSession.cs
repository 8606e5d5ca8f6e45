using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>A session just created, with the events its log was created with: all its runner needs to start.</summary>
/// <param name="Session">The session as created.</param>
/// <param name="Events">Its whole log: the initial events, committed with the session.</param>
internal sealed record CreatedSession(Session Session, IReadOnlyList<LoggedEvent> Events);
