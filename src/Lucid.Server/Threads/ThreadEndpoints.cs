using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Sessions;
using Lucid.Threads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Threads;

/// <summary>
/// <c>/v1/sessions/{id}/threads</c>: list a session's threads (the primary thread first, then its children in the order
/// they were spawned), retrieve and archive one, and list or stream one thread's events.
/// </summary>
internal static class ThreadEndpoints
{
    public static RouteGroupBuilder MapThreads(this RouteGroupBuilder v1)
    {
        var threads = v1.MapGroup("/sessions/{id}/threads");
        threads.MapGet("", ListAsync);
        threads.MapGet("/{threadId}", RetrieveAsync);
        threads.MapPost("/{threadId}/archive", ArchiveAsync);
        threads.MapGet("/{threadId}/events", EventsAsync);
        threads.MapGet("/{threadId}/stream", StreamAsync);
        return v1;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string id, SessionHost host)
    {
        var found = await host.GetSessionAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        if (!found.IsSuccess)
        {
            return ApiErrors.From(found.Error);
        }

        var request = http.Request;
var statuses = Wire.Statuses(request, "thread");
        var limit = Requests.Int(request, "limit", 1, 1000) ?? 1000;
        var page = request.Query["page"].ToString();
        var offset = 0;
        if (page.Length > 0 && !int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw RequestException.Invalid("page", "page is not a valid cursor.");
        }

        var children = await host.Store.ListThreadsAsync(id, http.RequestAborted);
        var all = new List<JsonObject> { ThreadWire.Primary(found.Value, await AgentOfAsync(host, found.Value, http.RequestAborted), children) };
        all.AddRange(children.Select(ThreadWire.ToJson));
        var matching = all.Where(t => statuses.Count == 0 || statuses.Any(s => Wire.Status(s) == t["status"]?.GetValue<string>())).ToList();
        var items = matching.Skip(offset).Take(limit).ToList();
        var next = offset + items.Count < matching.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Json(new JsonObject { ["data"] = new JsonArray([.. items]), ["next_page"] = next });
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, string threadId, SessionHost host)
    {
        var (session, thread) = await FindAsync(http, id, threadId, host);
        return TypedResults.Json(thread is not null
            ? ThreadWire.ToJson(thread)
            : ThreadWire.Primary(session, await AgentOfAsync(host, session, http.RequestAborted), await host.Store.ListThreadsAsync(id, http.RequestAborted)));
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, string threadId, SessionHost host)
    {
        var (_, thread) = await FindAsync(http, id, threadId, host);
        if (thread is null)
        {
            return ApiErrors.From(LucidError.Invalid("thread_id", "The primary thread is the session itself; archive the session instead."));
        }

        if (thread.ArchivedAt is null)
        {
            if (thread.Status == SessionStatus.Running)
            {
                return ApiErrors.From(LucidError.Conflict($"Thread '{thread.Id}' is running; interrupt the session and wait for the thread to stop before archiving it."));
            }

            await host.Store.ArchiveThreadAsync(thread.Id, host.TimeProvider.GetUtcNow(), http.RequestAborted);
        }

        return TypedResults.Json(ThreadWire.ToJson(await host.Store.GetThreadAsync(thread.Id, http.RequestAborted) ?? thread));
    }

    private static async Task<IResult> EventsAsync(HttpContext http, string id, string threadId, SessionHost host)
    {
        var (_, thread) = await FindAsync(http, id, threadId, host);
        return await EventEndpoints.ListLogAsync(http, thread?.Id ?? id, host);
    }

    private static async Task<IResult> StreamAsync(HttpContext http, string id, string threadId, SessionHost host)
    {
        var (_, thread) = await FindAsync(http, id, threadId, host);
        return EventEndpoints.StreamLog(http, thread?.Id ?? id, host);
    }

    // The session and, unless the ID names the primary thread, the child thread; a missing one is a 404.
    private static async Task<(Session Session, SessionThread? Thread)> FindAsync(HttpContext http, string id, string threadId, SessionHost host)
    {
        var found = await host.GetSessionAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        if (!found.IsSuccess)
        {
            throw new RequestException(found.Error);
        }

        Requests.Id(threadId, IdPrefixes.Thread, "thread_id");
        if (threadId == SessionThread.PrimaryId(id))
        {
            return (found.Value, null);
        }

        var thread = await host.Store.GetThreadAsync(threadId, http.RequestAborted);
        return thread is null || thread.SessionId != id
            ? throw new RequestException(LucidError.NotFound("Thread", threadId))
            : (found.Value, thread);
    }

    private static async Task<Lucid.Agents.Agent> AgentOfAsync(SessionHost host, Session session, CancellationToken cancellationToken) =>
        await host.Store.GetAgentAsync(session.AgentId, session.AgentVersion, cancellationToken)
        ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing from the store.");
}
