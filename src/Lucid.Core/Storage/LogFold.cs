using Lucid.Events;
using Lucid.Sessions;
using Lucid.Threads;

namespace Lucid.Storage;

/// <summary>
/// What an append does to a log and its rows, the same in every store: each event is completed against the session as it
/// stands before it, numbered after the log's last sequence, and projected onto the session (and its thread).
/// </summary>
public static class LogFold
{
    /// <summary>The events numbered after the session's last, and the session as they leave it.</summary>
    public static (Session After, List<LoggedEvent> Logged) OntoSession(Session session, IReadOnlyList<SessionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        var logged = new List<LoggedEvent>(events.Count);
        foreach (var e in events)
        {
            var entry = new LoggedEvent(session.Id, session.LastSequence + 1, SessionProjection.Complete(session, e));
            session = SessionProjection.Apply(session, entry);
            logged.Add(entry);
        }

        return (session, logged);
    }

    /// <summary>The events numbered after the thread's last, and the thread and its session as they leave them.</summary>
    public static (SessionThread Thread, Session Session, List<LoggedEvent> Logged) OntoThread(SessionThread thread, Session session, IReadOnlyList<SessionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(events);
        var logged = new List<LoggedEvent>(events.Count);
        foreach (var e in events)
        {
            var entry = new LoggedEvent(thread.Id, thread.LastSequence + 1, SessionProjection.Complete(session, e));
            var before = thread;
            thread = ThreadProjection.Apply(thread, entry);
            session = SessionProjection.ApplyThreadEvent(session, entry, before, thread);
            logged.Add(entry);
        }

        return (thread, session, logged);
    }
}
