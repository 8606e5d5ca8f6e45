namespace Lucid.Dreams;

/// <summary>
/// What a dream read, as citations see it: the session of every event (only those events may be cited) and the task
/// each session named, so a lesson's evidence can be counted in tasks as well as sessions.
/// </summary>
internal sealed class DreamEvidence
{
    private readonly Dictionary<string, string> _sessionOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _taskOf = new(StringComparer.Ordinal);

    /// <summary>Adds a session read and the task it named (null when none).</summary>
    public void AddSession(string sessionId, string? taskId) => _taskOf[sessionId] = taskId;

    /// <summary>Adds an event of a session added before.</summary>
    public void AddEvent(string eventId, string sessionId) => _sessionOf[eventId] = sessionId;

    /// <summary>Whether the event is one the dream read.</summary>
    public bool Contains(string eventId) => _sessionOf.ContainsKey(eventId);

    /// <summary>The session of an event the dream read.</summary>
    public string SessionOf(string eventId) => _sessionOf[eventId];

    /// <summary>The tasks named by the sessions of the events the dream read among <paramref name="eventIds"/>.</summary>
    public EvidenceTasks TasksOf(IEnumerable<string> eventIds)
    {
        var sessions = eventIds.Where(_sessionOf.ContainsKey).Select(e => _sessionOf[e]).Distinct(StringComparer.Ordinal).ToList();
        var named = sessions.Select(s => _taskOf.GetValueOrDefault(s)).OfType<string>().ToList();
        return new EvidenceTasks([.. named.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], sessions.Count > 0 && named.Count == sessions.Count);
    }
}

/// <summary>The distinct tasks a lesson's evidence spans.</summary>
/// <param name="Tasks">The tasks named by the sessions cited, in order.</param>
/// <param name="AllNamed">Whether every session cited named its task; when not, the span is a lower bound.</param>
internal sealed record EvidenceTasks(IReadOnlyList<string> Tasks, bool AllNamed)
{
    /// <summary>
    /// The one task the evidence comes from when every cited session named it, so the lesson is task-specific; null when
    /// the evidence spans several tasks or some cited session named none (then nothing is known to limit it).
    /// </summary>
    public string? SpecificTask => AllNamed && Tasks.Count == 1 ? Tasks[0] : null;
}
