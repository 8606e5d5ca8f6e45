using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Sessions;
using Lucid.Storage;
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

    private static async Task<IResult> ListAsync(HttpContext http, string id, SessionService sessions, ThreadService threads, ILucidStore store, TimeProvider time)
    {
        var session = await SessionAsync(http, id, sessions);
        var request = http.Request;
        var statuses = Wire.Statuses(request, "thread");
        var limit = Requests.Int(request, "limit", 1, 1000) ?? 1000;
        var page = request.Query["page"].ToString();
        var offset = 0;
        if (page.Length > 0 && !int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw RequestException.Invalid("page", "page is not a valid cursor.");
        }

        var children = await threads.ListAsync(session, http.RequestAborted);
        var now = time.GetUtcNow();
        var all = new List<JsonObject> { ThreadWire.Primary(session, await AgentOfAsync(store, session, http.RequestAborted), children, now) };
        all.AddRange(children.Select(t => ThreadWire.ToJson(t, now)));
        var matching = all.Where(t => statuses.Count == 0 || statuses.Any(s => Wire.Status(s) == t["status"]?.GetValue<string>())).ToList();
        var items = matching.Skip(offset).Take(limit).ToList();
        var next = offset + items.Count < matching.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Json(new JsonObject { ["data"] = new JsonArray([.. items]), ["next_page"] = next });
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads, ILucidStore store, TimeProvider time)
    {
        var (session, thread) = await FindAsync(http, id, threadId, sessions, threads);
        return TypedResults.Json(thread is not null
            ? ThreadWire.ToJson(thread, time.GetUtcNow())
            : ThreadWire.Primary(session, await AgentOfAsync(store, session, http.RequestAborted), await threads.ListAsync(session, http.RequestAborted), time.GetUtcNow()));
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads, TimeProvider time)
    {
        var (session, thread) = await FindAsync(http, id, threadId, sessions, threads);
        if (thread is null)
        {
            return ApiErrors.From(LucidError.Invalid("thread_id", "The primary thread is the session itself; archive the session instead."));
        }

        var archived = await threads.ArchiveAsync(session, thread.Id, http.RequestAborted);
        return archived.IsSuccess ? TypedResults.Json(ThreadWire.ToJson(archived.Value, time.GetUtcNow())) : ApiErrors.From(archived.Error);
    }

    private static async Task<IResult> EventsAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads)
    {
        var (_, thread) = await FindAsync(http, id, threadId, sessions, threads);
        return await EventEndpoints.ListLogAsync(http, thread?.Id ?? id, sessions);
    }

    private static async Task<IResult> StreamAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads, EventHub events, TimeProvider time)
    {
        var (_, thread) = await FindAsync(http, id, threadId, sessions, threads);
        return Sessions.EventStream.Of(http, LogId.Of(thread?.Id ?? id), events, time);
    }

    private static async Task<Session> SessionAsync(HttpContext http, string id, SessionService sessions)
    {
        var found = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        return found.IsSuccess ? found.Value : throw new RequestException(found.Error);
    }

    // The session and, unless the ID names the primary thread, the child thread; a missing one is a 404.
    private static async Task<(Session Session, SessionThread? Thread)> FindAsync(HttpContext http, string id, string threadId, SessionService sessions, ThreadService threads)
    {
        var session = await SessionAsync(http, id, sessions);
        Requests.Id(threadId, IdPrefixes.Thread, "thread_id");
        if (threadId == SessionThread.PrimaryId(id))
        {
            return (session, null);
        }

        var thread = await threads.GetAsync(session, threadId, http.RequestAborted);
        return thread.IsSuccess ? (session, thread.Value) : throw new RequestException(thread.Error);
    }

    private static async Task<Lucid.Agents.Agent> AgentOfAsync(ILucidStore store, Session session, CancellationToken cancellationToken) =>
        await store.GetAgentAsync(session.AgentId, session.AgentVersion, cancellationToken)
        ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing from the store.");
}
