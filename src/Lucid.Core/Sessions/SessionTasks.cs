namespace Lucid.Sessions;

/// <summary>
/// Which task a session worked on: the <c>task_id</c> metadata key, set by whoever creates the session (an eval
/// trial, an importer, a client). Sessions of one task are trials of the same problem; evidence that spans one task
/// only says something about that task, so dreams and mining count tasks apart from sessions.
/// </summary>
public static class SessionTasks
{
    /// <summary>The metadata key naming a session's task.</summary>
    public const string TaskIdKey = "task_id";

    /// <summary>The task of a session with this metadata, or null when it names none.</summary>
    public static string? TaskIdOf(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(TaskIdKey, out var id) && !string.IsNullOrWhiteSpace(id) ? id : null;
    }
}
