using Lucid.Agents;
using Lucid.Ids;
using Lucid.Models;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Agents;

/// <summary><c>/v1/agents</c>: create, list, retrieve, update (a new version), archive, and list versions.</summary>
internal static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder v1)
    {
        var agents = v1.MapGroup("/agents");
        agents.MapPost("", CreateAsync);
        agents.MapGet("", ListAsync);
        agents.MapGet("/{id}", RetrieveAsync);
        agents.MapPost("/{id}", UpdateAsync);
        agents.MapPost("/{id}/archive", ArchiveAsync);
        agents.MapGet("/{id}/versions", VersionsAsync);
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AgentService agents, IChatClientResolver models)
    {
        var definition = AgentWire.ReadCreate(await Requests.BodyAsync(http.Request));
        if (MultiagentRules.CheckAdvisorModel(models, definition.Multiagent) is { } advisorError)
        {
            return ApiErrors.From(advisorError);
        }

        var created = await agents.CreateAsync(ApiFilter.Workspace(http), definition, http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(AgentWire.ToJson(created.Value)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ILucidStore store)
    {
        var query = new AgentQuery
        {
            IncludeArchived = Requests.Flag(http.Request, "include_archived"),
            CreatedAtOrAfter = Requests.Time(http.Request, "created_at[gte]"),
            CreatedAtOrBefore = Requests.Time(http.Request, "created_at[lte]"),
        };
        var page = await Requests.PageAsync(() => store.ListAgentsAsync(ApiFilter.Workspace(http), query, Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, AgentWire.ToJson));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, ILucidStore store)
    {
        var version = Requests.Int(http.Request, "version", 1, int.MaxValue);
        var agent = await FindAsync(http, id, version, store);
        return agent is null ? NotFound(id) : TypedResults.Json(AgentWire.ToJson(agent));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, AgentService agents, ILucidStore store, IChatClientResolver models)
    {
        var current = await FindAsync(http, id, null, store);
        if (current is null)
        {
            return NotFound(id);
        }

        var (definition, expectedVersion) = AgentWire.ReadUpdate(await Requests.BodyAsync(http.Request), current);
        if (MultiagentRules.CheckAdvisorModel(models, definition.Multiagent) is { } advisorError)
        {
            return ApiErrors.From(advisorError);
        }

        var updated = await agents.UpdateAsync(ApiFilter.Workspace(http), id, expectedVersion, definition, http.RequestAborted);
        return updated.IsSuccess ? TypedResults.Json(AgentWire.ToJson(updated.Value)) : ApiErrors.From(updated.Error);
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, AgentService agents)
    {
        var archived = await agents.ArchiveAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Agent, "agent_id"), http.RequestAborted);
        return archived.IsSuccess ? TypedResults.Json(AgentWire.ToJson(archived.Value)) : ApiErrors.From(archived.Error);
    }

    private static async Task<IResult> VersionsAsync(HttpContext http, string id, ILucidStore store)
    {
        if (await FindAsync(http, id, null, store) is null)
        {
            return NotFound(id);
        }

        var page = await Requests.PageAsync(() => store.ListAgentVersionsAsync(id, Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, AgentWire.ToJson));
    }

    private static async Task<Agent?> FindAsync(HttpContext http, string id, int? version, ILucidStore store)
    {
        var agent = await store.GetAgentAsync(Requests.Id(id, IdPrefixes.Agent, "agent_id"), version, http.RequestAborted);
        return agent is not null && agent.WorkspaceId == ApiFilter.Workspace(http) ? agent : null;
    }

    private static IResult NotFound(string id) => ApiErrors.From(LucidError.NotFound("Agent", id));
}
