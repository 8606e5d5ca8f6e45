using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>
/// Where a log's <c>session.usage</c> snapshots go: a turn that used a model ends with one, just before its idle status.
/// The runner appends it empty; the store fills in the figures (<see cref="SessionProjection.Complete"/>).
/// </summary>
internal static class UsageSnapshots
{
    /// <summary>
    /// The events to commit: <paramref name="events"/>, with a snapshot before the first idle status when a model
    /// request's usage is unreported (<paramref name="unreported"/> before them, or an end among them) and no snapshot
    /// comes first.
    /// </summary>
    public static IReadOnlyList<SessionEvent> BeforeIdle(IReadOnlyList<SessionEvent> events, bool unreported)
    {
        var idle = -1;
        var used = unreported;
        for (var i = 0; i < events.Count && idle < 0; i++)
        {
            switch (events[i])
            {
                case SpanModelRequestEndEvent:
                    used = true;
                    break;
                case SessionUsageEvent:
                    used = false;
                    break;
                case SessionStatusIdleEvent:
                    idle = i;
                    break;
            }
        }

        return idle < 0 || !used ? events : [.. events.Take(idle), new SessionUsageEvent(), .. events.Skip(idle)];
    }
}
