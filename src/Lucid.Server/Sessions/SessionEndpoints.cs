using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Server.Agents;
using Lucid.Server.Cluster;
using Lucid.Server.Http;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Sessions;

/// <summary><c>/v1/sessions</c>: create, list, retrieve, update, archive, delete; and their events (list, send, stream).</summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder v1)
    {
        var sessions = v1.MapGroup("/sessions");
        sessions.MapPost("", CreateAsync);
        sessions.MapGet("", ListAsync);
        sessions.MapGet("/{id}", RetrieveAsync);
        sessions.MapPost("/{id}", UpdateAsync);
        sessions.MapPost("/{id}/archive", ArchiveAsync);
        sessions.MapDelete("/{id}", DeleteAsync);
        sessions.MapGet("/{id}/events", EventEndpoints.ListAsync);
        sessions.MapPost("/{id}/events", EventEndpoints.SendAsync);
        sessions.MapGet("/{id}/events/stream", EventEndpoints.StreamAsync);
        sessions.MapSessionResources();
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SessionService sessions, ILucidStore store, AgentVersions agents, TimeProvider time)
    {
        var body = await Requests.BodyAsync(http.Request);
        var (agentId, agentVersion) = AgentReference(body);
        var (memory, files, repositories) = SessionResourceWire.Read(body);
        var definition = new SessionDefinition
        {
            AgentId = agentId,
            AgentVersion = agentVersion,
            EnvironmentId = body.RequiredString("environment_id", 128),
            Title = body.String("title", 1024),
            Metadata = body.StringMap("metadata") ?? new Dictionary<string, string>(),
            Budget = body.IsNull("budget") ? null : body.Object("budget") is { } budget ? Wire.ReadBudget(budget) : null,
            InitialEvents = [.. body.Array("initial_events", 1000).Select(e => EventWire.ReadInput(new WireObject(e.Item, e.Path)))],
            Resources = memory,
            Files = files,
            Repositories = repositories,
            VaultIds = [.. body.Array("vault_ids", SessionDefinition.MaxVaults).Select(v => v.Item.ValueKind == System.Text.Json.JsonValueKind.String
                ? v.Item.GetString() ?? "" : throw RequestException.Invalid(v.Path, $"{v.Path} must be a vault ID string."))],
        };
        var created = await sessions.CreateAsync(ApiFilter.Workspace(http), definition, http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(await ToJsonAsync(store, agents, created.Value, time.GetUtcNow(), http.RequestAborted)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, SessionService sessions, ILucidStore store, AgentVersions agents, TimeProvider time)
    {
        var request = http.Request;
        var statuses = Wire.Statuses(request, "session");
        var order = request.Query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            throw RequestException.Invalid("order", "order must be asc or desc.");
        }

        var agentId = request.Query["agent_id"].ToString();
        var (after, atOrAfter, before, atOrBefore) = Requests.CreatedAt(request);
        var query = new SessionQuery
        {
            IncludeArchived = Requests.Flag(request, "include_archived"),
            AgentId = agentId.Length == 0 ? null : Requests.Id(agentId, IdPrefixes.Agent, "agent_id"),
            AgentVersion = Requests.Int(request, "agent_version", 1, int.MaxValue),
            Statuses = statuses,
            CreatedAfter = after,
            CreatedAtOrAfter = atOrAfter,
            CreatedBefore = before,
            CreatedAtOrBefore = atOrBefore,
            Ascending = order == "asc",
            DeploymentId = request.Query["deployment_id"].ToString() is { Length: > 0 } deployment ? Requests.Id(deployment, IdPrefixes.Deployment, "deployment_id") : null,
            MemoryStoreId = request.Query["memory_store_id"].ToString() is { Length: > 0 } memoryStore ? Requests.Id(memoryStore, IdPrefixes.MemoryStore, "memory_store_id") : null,
        };
        var page = await Requests.PageAsync(() => sessions.ListAsync(ApiFilter.Workspace(http), query, Requests.Page(request), http.RequestAborted));
        var data = new JsonArray();
        foreach (var session in page.Items)
        {
            data.Add(await ToJsonAsync(store, agents, session, time.GetUtcNow(), http.RequestAborted));
        }

        return TypedResults.Json(new JsonObject { ["data"] = data, ["next_page"] = page.NextPage });
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, SessionService sessions, ILucidStore store, AgentVersions agents, TimeProvider time)
    {
        var found = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(await ToJsonAsync(store, agents, found.Value, time.GetUtcNow(), http.RequestAborted)) : ApiErrors.From(found.Error);
    }

    // Update, archive and delete are checked here and done by the session's owner (ISessionOwners), which stops its runners on archive and delete.
    private static async Task<IResult> UpdateAsync(HttpContext http, string id, ISessionOwners owners)
    {
        Requests.Id(id, IdPrefixes.Session, "session_id");
        var body = await Requests.BodyAsync(http.Request);
        SessionUpdateWire.Read(body);
        return Answer(await owners.UpdateAsync(ApiFilter.Workspace(http), id, body, http.RequestAborted));
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, ISessionOwners owners) =>
        Answer(await owners.ArchiveAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted));

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, ISessionOwners owners) =>
        Answer(await owners.DeleteAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted));

    private static IResult Answer(Result<JsonObject> answer) => answer.IsSuccess ? TypedResults.Json(answer.Value) : ApiErrors.From(answer.Error);

    // A memory store resource.
    internal static MemoryAttachment Resource(WireObject resource)
    {
        var type = resource.RequiredString("type");
        if (type != "memory_store")
        {
            throw RequestException.Invalid(resource.PathOf("type"), $"Resources of type '{type}' are not supported; use memory_store, file or github_repository.");
        }

        var access = resource.String("access") switch
        {
            null or "read_write" => MemoryAccess.ReadWrite,
            "read_only" => MemoryAccess.ReadOnly,
            var other => throw RequestException.Invalid(resource.PathOf("access"), $"access must be read_write or read_only, not '{other}'."),
        };
        return new MemoryAttachment(
            Requests.Id(resource.RequiredString("memory_store_id"), IdPrefixes.MemoryStore, resource.PathOf("memory_store_id")),
            access,
            resource.String("instructions"));
    }

    public static async Task<JsonObject> ToJsonAsync(ILucidStore store, AgentVersions agents, Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(session.AgentId, session.AgentVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing from the store.");
        return new JsonObject
        {
            ["type"] = "session",
            ["id"] = session.Id,
            ["agent"] = await AgentWire.SessionAgentAsync(store, agent, cancellationToken),
            ["environment_id"] = session.EnvironmentId,
            ["deployment_id"] = session.DeploymentId,
            ["title"] = session.Title,
            ["metadata"] = Wire.Map(session.Metadata),
            ["resources"] = new JsonArray([.. SessionResourceWire.All(session)]),
            ["status"] = Wire.Status(session.Status),
            ["usage"] = Wire.Usage(session.Usage),
            ["stats"] = Wire.Stats(session.Activity, session.ThreadsActiveSeconds, session.CreatedAt, session.Status == SessionStatus.Terminated ? session.UpdatedAt : null, now),
            ["outcome_evaluations"] = new JsonArray([.. session.OutcomeEvaluations.Select(o => (JsonNode)new JsonObject
            {
                ["type"] = "outcome_evaluation",
                ["outcome_id"] = o.OutcomeId,
                ["description"] = o.Description,
                ["result"] = o.Result.ToWire(),
                ["iteration"] = o.Iteration,
                ["explanation"] = o.Explanation,
                ["completed_at"] = Wire.Time(o.CompletedAt),
            })]),
            ["vault_ids"] = new JsonArray([.. session.VaultIds.Select(v => JsonValue.Create(v))]),
            ["budget"] = Wire.Budget(session.Budget),
            ["created_at"] = Wire.Time(session.CreatedAt),
            ["updated_at"] = Wire.Time(session.UpdatedAt),
            ["archived_at"] = Wire.Time(session.ArchivedAt),
        };
    }

    internal static (string Id, int? Version) AgentReference(WireObject body)
    {
        if (!body.TryGet("agent", out var agent))
        {
            throw RequestException.Invalid("agent", "agent is required: an agent ID, or {\"type\": \"agent\", \"id\": …, \"version\": …}.");
        }

        if (agent.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            return (Requests.Id(agent.GetString() ?? "", IdPrefixes.Agent, "agent"), null);
        }

        var reference = new WireObject(agent, "agent");
        return (Requests.Id(reference.RequiredString("id", 128), IdPrefixes.Agent, "agent.id"), reference.Int("version", 1, int.MaxValue));
    }
}
