using System.Text.Json;
using Lucid.Deployments;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Deployments;

/// <summary>
/// <c>/v1/deployments</c>: create, list, retrieve, update, archive, pause, unpause, run now; and
/// <c>/v1/deployment_runs</c>: list, retrieve.
/// </summary>
internal static class DeploymentEndpoints
{
    public static RouteGroupBuilder MapDeployments(this RouteGroupBuilder v1)
    {
        var deployments = v1.MapGroup("/deployments");
        deployments.MapPost("", CreateAsync);
        deployments.MapGet("", ListAsync);
        deployments.MapGet("/{id}", RetrieveAsync);
        deployments.MapPost("/{id}", UpdateAsync);
        deployments.MapPost("/{id}/archive", (HttpContext http, string id, DeploymentService service, TimeProvider time) => ChangeAsync(http, time, service.ArchiveAsync(ApiFilter.Workspace(http), DeploymentId(id), http.RequestAborted)));
        deployments.MapPost("/{id}/pause", (HttpContext http, string id, DeploymentService service, TimeProvider time) => ChangeAsync(http, time, service.PauseAsync(ApiFilter.Workspace(http), DeploymentId(id), http.RequestAborted)));
        deployments.MapPost("/{id}/unpause", (HttpContext http, string id, DeploymentService service, TimeProvider time) => ChangeAsync(http, time, service.UnpauseAsync(ApiFilter.Workspace(http), DeploymentId(id), http.RequestAborted)));
        deployments.MapPost("/{id}/run", RunAsync);
        var runs = v1.MapGroup("/deployment_runs");
        runs.MapGet("", ListRunsAsync);
        runs.MapGet("/{id}", RetrieveRunAsync);
        return v1;
    }

    private static string DeploymentId(string id) => Requests.Id(id, IdPrefixes.Deployment, "deployment_id");

    private static async Task<IResult> ChangeAsync(HttpContext http, TimeProvider time, Task<Result<Deployment>> change)
    {
        var changed = await change;
        return changed.IsSuccess ? TypedResults.Json(DeploymentWire.ToJson(changed.Value!, time.GetUtcNow())) : ApiErrors.From(changed.Error);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DeploymentService service, TimeProvider time)
    {
        var body = await Requests.BodyAsync(http.Request);
        var (agentId, agentVersion) = SessionEndpoints.AgentReference(body);
        var resources = Resources(body);
        var draft = new DeploymentDraft
        {
            Name = body.RequiredString("name", 256),
            Description = body.String("description", 2048),
            AgentId = agentId,
            AgentVersion = agentVersion,
            EnvironmentId = body.RequiredString("environment_id", 128),
            InitialEvents = InitialEvents(body),
            Resources = resources.Memory,
            Files = resources.Files,
            Repositories = resources.Repositories,
            VaultIds = VaultIds(body),
            Metadata = body.StringMap("metadata") ?? new Dictionary<string, string>(),
            Schedule = Schedule(body),
            Budget = Budget(body),
        };
        return await ChangeAsync(http, time, service.CreateAsync(ApiFilter.Workspace(http), draft, http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, DeploymentService service, TimeProvider time)
    {
        DeploymentId(id);
        var body = await Requests.BodyAsync(http.Request);
        foreach (var required in new[] { "name", "agent", "environment_id", "initial_events" })
        {
            if (body.IsNull(required))
            {
                return ApiErrors.From(LucidError.Invalid(required, $"{required} cannot be cleared."));
            }
        }

        var budget = Budget(body);
        (string Id, int? Version)? agent = body.Has("agent") ? SessionEndpoints.AgentReference(body) : null;
        var events = body.Has("initial_events") ? InitialEvents(body) : null;
        (List<Lucid.Memory.MemoryAttachment> Memory, List<Lucid.Resources.FileAttachment> Files, List<Lucid.Resources.RepositoryAttachment> Repositories)? resources =
            body.Has("resources") ? Resources(body) : null;
        var vaults = body.Has("vault_ids") ? VaultIds(body) : null;
        var metadata = body.StringMapPatch("metadata")?.ToDictionary(p => p.Key, p => string.IsNullOrEmpty(p.Value) ? null : p.Value, StringComparer.Ordinal);
        var schedule = body.Has("schedule") ? Schedule(body) : null;
        var updated = service.UpdateAsync(ApiFilter.Workspace(http), id, current => new DeploymentDraft
        {
            Name = body.String("name", 256) ?? current.Name,
            Description = body.Has("description") ? body.String("description", 2048) is { Length: > 0 } d ? d : null : current.Description,
            // An agent ID alone re-pins to the latest version.
            AgentId = agent?.Id ?? current.AgentId,
            AgentVersion = agent is { } a ? a.Version : current.AgentVersion,
            EnvironmentId = body.String("environment_id", 128) ?? current.EnvironmentId,
            InitialEvents = events ?? current.InitialEvents,
            Resources = resources?.Memory ?? current.Resources,
            Files = resources?.Files ?? current.Files,
            Repositories = resources?.Repositories ?? current.Repositories,
            VaultIds = vaults ?? current.VaultIds,
            Metadata = Wire.Patch(current.Metadata, metadata),
            Schedule = body.Has("schedule") ? schedule : current.Schedule is { } s ? (s.Expression, s.Timezone) : null,
            // Absent keeps the budget; null clears it (sessions started afterwards are uncapped).
            Budget = body.Has("budget") ? budget : current.Budget,
        }, http.RequestAborted);
        return await ChangeAsync(http, time, updated);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ILucidStore store, TimeProvider time)
    {
        var request = http.Request;
        var includeArchived = Requests.Flag(request, "include_archived");
        var status = request.Query["status"].ToString();
        if (status is not ("" or "active" or "paused"))
        {
            throw RequestException.Invalid("status", "status must be active or paused.");
        }

        if (status.Length > 0 && includeArchived)
        {
            throw RequestException.Invalid("status", "status and include_archived cannot be combined.");
        }

        var agentId = request.Query["agent_id"].ToString();
        var query = new DeploymentQuery
        {
            CreatedAtOrAfter = Requests.Time(request, "created_at[gte]"),
            CreatedAtOrBefore = Requests.Time(request, "created_at[lte]"),
            IncludeArchived = includeArchived,
            AgentId = agentId.Length == 0 ? null : Requests.Id(agentId, IdPrefixes.Agent, "agent_id"),
            Paused = status.Length == 0 ? null : status == "paused",
        };
        var page = await Requests.PageAsync(() => store.ListDeploymentsAsync(ApiFilter.Workspace(http), query, Requests.Page(request), http.RequestAborted));
        var now = time.GetUtcNow();
        return TypedResults.Json(Wire.Page(page, d => DeploymentWire.ToJson(d, now)));
    }

    private static Task<IResult> RetrieveAsync(HttpContext http, string id, DeploymentService service, TimeProvider time) =>
        ChangeAsync(http, time, service.GetAsync(ApiFilter.Workspace(http), DeploymentId(id), http.RequestAborted));

    private static async Task<IResult> RunAsync(HttpContext http, string id, DeploymentService service)
    {
        var run = await service.RunNowAsync(ApiFilter.Workspace(http), DeploymentId(id), http.RequestAborted);
        return run.IsSuccess ? TypedResults.Json(DeploymentWire.ToJson(run.Value!)) : ApiErrors.From(run.Error);
    }

    private static async Task<IResult> ListRunsAsync(HttpContext http, ILucidStore store)
    {
        var request = http.Request;
        var trigger = request.Query["trigger_type"].ToString() switch
        {
            "" => (DeploymentTrigger?)null,
            "schedule" => DeploymentTrigger.Schedule,
            "manual" => DeploymentTrigger.Manual,
            _ => throw RequestException.Invalid("trigger_type", "trigger_type must be schedule or manual."),
        };
        var hasError = request.Query["has_error"].ToString() switch
        {
            "" => (bool?)null,
            "true" => true,
            "false" => false,
            _ => throw RequestException.Invalid("has_error", "has_error must be true or false."),
        };
        var deploymentId = request.Query["deployment_id"].ToString();
        var (after, atOrAfter, before, atOrBefore) = Requests.CreatedAt(request);
        var query = new DeploymentRunQuery
        {
            DeploymentId = deploymentId.Length == 0 ? null : deploymentId,
            HasError = hasError,
            Trigger = trigger,
            CreatedAfter = after,
            CreatedAtOrAfter = atOrAfter,
            CreatedBefore = before,
            CreatedAtOrBefore = atOrBefore,
        };
        var page = await Requests.PageAsync(() => store.ListRunsAsync(ApiFilter.Workspace(http), query, Requests.Page(request, max: 1000), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, r => DeploymentWire.ToJson(r)));
    }

    private static async Task<IResult> RetrieveRunAsync(HttpContext http, string id, DeploymentService service)
    {
        var run = await service.GetRunAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.DeploymentRun, "deployment_run_id"), http.RequestAborted);
        return run.IsSuccess ? TypedResults.Json(DeploymentWire.ToJson(run.Value!)) : ApiErrors.From(run.Error);
    }

    private static List<Lucid.Events.SessionEvent> InitialEvents(WireObject body) =>
        [.. body.Array("initial_events", DeploymentService.MaxInitialEvents).Select(e => EventWire.ReadInput(new WireObject(e.Item, e.Path)))];

    // Memory stores, files and repositories as sessions take them, but for a repository's authorization_token: a
    // deployment would have to keep it for every run, and Lucid keeps no token.
    private static (List<Lucid.Memory.MemoryAttachment> Memory, List<Lucid.Resources.FileAttachment> Files, List<Lucid.Resources.RepositoryAttachment> Repositories) Resources(WireObject body)
    {
        foreach (var (item, path) in body.Array("resources", 100))
        {
            var resource = new WireObject(item, path);
            if (resource.String("type") == "github_repository" && resource.TryGet("authorization_token", out var token) && token.ValueKind != JsonValueKind.Null)
            {
                throw RequestException.Invalid(
                    resource.PathOf("authorization_token"),
                    "A deployment keeps no repository token: it would have to store it for every run. Use a repository its sessions can clone without one (a public or local repository), or create sessions with the token yourself.");
            }
        }

        return SessionResourceWire.Read(body);
    }

    private static List<string> VaultIds(WireObject body) =>
        [.. body.Array("vault_ids", 50).Select(v => v.Item.ValueKind == JsonValueKind.String ? v.Item.GetString() ?? "" : throw RequestException.Invalid(v.Path, $"{v.Path} must be a vault ID string."))];

    private static Lucid.Sessions.SessionBudget? Budget(WireObject body) =>
        body.Has("budget") && !body.IsNull("budget") ? Wire.ReadBudget(body.RequiredObject("budget")) : null;

    private static (string Expression, string Timezone)? Schedule(WireObject body)
    {
        if (body.IsNull("schedule") || body.Object("schedule") is not { } schedule)
        {
            return null;
        }

        if (schedule.String("type") is { } type && type != "cron")
        {
            throw RequestException.Invalid("schedule.type", $"schedule.type must be cron, not '{type}'.");
        }

        return (schedule.RequiredString("expression", 256), schedule.RequiredString("timezone", 128));
    }
}
