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
    public static JsonObject ToJson(SessionThread thread) => Json(
        thread.Id, thread.SessionId, thread.ParentThreadId, thread.Status, AgentWire.ThreadAgent(thread.Agent, thread.IsInline),
        thread.Usage, thread.CreatedAt, thread.UpdatedAt, thread.ArchivedAt);

    /// <summary>The session's primary thread: its own log, its agent, and the usage that is not its children's.</summary>
    public static JsonObject Primary(Session session, Agent agent, IReadOnlyList<SessionThread> children)
    {
        var childUsage = children.Aggregate(SessionUsage.Zero, (sum, t) => sum.Add(t.Usage));
        var own = new SessionUsage
        {
            InputTokens = session.Usage.InputTokens - childUsage.InputTokens,
            OutputTokens = session.Usage.OutputTokens - childUsage.OutputTokens,
            CacheReadInputTokens = session.Usage.CacheReadInputTokens - childUsage.CacheReadInputTokens,
            CacheCreationInputTokens = session.Usage.CacheCreationInputTokens - childUsage.CacheCreationInputTokens,
        };
        return Json(SessionThread.PrimaryId(session.Id), session.Id, null, session.Status, AgentWire.ThreadAgent(agent, inline: false), own, session.CreatedAt, session.UpdatedAt, session.ArchivedAt);
    }

    private static JsonObject Json(
        string id, string sessionId, string? parentThreadId, SessionStatus status, JsonObject agent, SessionUsage usage,
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
        ["stats"] = null,
        ["created_at"] = Wire.Time(createdAt),
        ["updated_at"] = Wire.Time(updatedAt),
        ["archived_at"] = Wire.Time(archivedAt),
    };
}
