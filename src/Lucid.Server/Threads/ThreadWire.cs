using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Agents;
using Lucid.Server.Http;
using Lucid.Sessions;
using Lucid.Threads;

namespace Lucid.Server.Threads;

/// <summary>The API's thread JSON (<c>BetaManagedAgentsSessionThread</c>), for the primary thread and for child threads.</summary>
internal static class ThreadWire
{
    public static JsonObject ToJson(SessionThread thread, DateTimeOffset now) => Json(
        thread.Id, thread.SessionId, thread.ParentThreadId, thread.Status, AgentWire.ThreadAgent(thread.Agent, thread.IsInline),
        thread.Usage, Stats(thread.Activity, thread.CreatedAt, thread.Status == SessionStatus.Terminated ? thread.UpdatedAt : thread.ArchivedAt, startup: 0, now),
        thread.CreatedAt, thread.UpdatedAt, thread.ArchivedAt);

    /// <summary>The session's primary thread: its own log, its agent, and the usage that is not its children's.</summary>
    public static JsonObject Primary(Session session, Agent agent, IReadOnlyList<SessionThread> children, DateTimeOffset now)
    {
        var childUsage = children.Aggregate(SessionUsage.Zero, (sum, t) => sum.Add(t.Usage));
        var own = new SessionUsage
        {
            InputTokens = session.Usage.InputTokens - childUsage.InputTokens,
            OutputTokens = session.Usage.OutputTokens - childUsage.OutputTokens,
            CacheReadInputTokens = session.Usage.CacheReadInputTokens - childUsage.CacheReadInputTokens,
            CacheCreationInputTokens = session.Usage.CacheCreationInputTokens - childUsage.CacheCreationInputTokens,
            ListCostUsd = session.Usage.ListCostUsd is { } total ? total - (childUsage.ListCostUsd ?? 0) : null,
        };
        var startup = session.Activity.FirstRunningAt is { } first ? (first - session.CreatedAt).TotalSeconds : 0;
        var stats = Stats(session.Activity, session.CreatedAt, session.Status == SessionStatus.Terminated ? session.UpdatedAt : session.ArchivedAt, startup, now);
        return Json(SessionThread.PrimaryId(session.Id), session.Id, null, session.Status, AgentWire.ThreadAgent(agent, inline: false), own, stats, session.CreatedAt, session.UpdatedAt, session.ArchivedAt);
    }

    // A thread's stats are null until its first status change; its startup is the time it took to begin running (zero
    // for child threads, which start at once).
    private static JsonObject? Stats(ActiveTime activity, DateTimeOffset createdAt, DateTimeOffset? endedAt, double startup, DateTimeOffset now)
    {
        if (activity.FirstRunningAt is null)
        {
            return null;
        }

        var stats = Wire.Stats(activity, 0, createdAt, endedAt, now);
        stats["startup_seconds"] = Math.Round(Math.Max(0, startup), 3);
        return stats;
    }

    private static JsonObject Json(
        string id, string sessionId, string? parentThreadId, SessionStatus status, JsonObject agent, SessionUsage usage, JsonObject? stats,
        DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? archivedAt) => new()
    {
        ["type"] = "session_thread",
        ["id"] = id,
        ["session_id"] = sessionId,
        ["parent_thread_id"] = parentThreadId,
        ["workflow_run_id"] = null,
        ["status"] = Wire.Status(status),
        ["agent"] = agent,
        ["usage"] = Wire.Usage(usage),
        ["stats"] = stats,
        ["created_at"] = Wire.Time(createdAt),
        ["updated_at"] = Wire.Time(updatedAt),
        ["archived_at"] = Wire.Time(archivedAt),
    };
}
