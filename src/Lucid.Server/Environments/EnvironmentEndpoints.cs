using System.Text.Json.Nodes;
using Lucid.Environments;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Environments;

/// <summary>
/// <c>/v1/environments</c>: create, list, retrieve, update, archive. An environment's <c>config</c> (networking and
/// packages) says what the sandboxes of its sessions may reach; without one, nothing (see <see cref="EnvironmentConfig.Default"/>).
/// </summary>
internal static class EnvironmentEndpoints
{
    public static RouteGroupBuilder MapEnvironments(this RouteGroupBuilder v1)
    {
        var environments = v1.MapGroup("/environments");
        environments.MapPost("", CreateAsync);
        environments.MapGet("", ListAsync);
        environments.MapGet("/{id}", RetrieveAsync);
        environments.MapPost("/{id}", UpdateAsync);
        environments.MapPost("/{id}/archive", ArchiveAsync);
        environments.MapDelete("/{id}", async (HttpContext http, string id, EnvironmentService service) =>
        {
            var deleted = await service.DeleteAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Environment, "environment_id"), http.RequestAborted);
            return deleted.IsSuccess ? TypedResults.Json(new JsonObject { ["id"] = deleted.Value, ["type"] = "environment_deleted" }) : ApiErrors.From(deleted.Error);
        });
        return v1;
    }

    public static JsonObject ToJson(AgentEnvironment environment) => new()
    {
        ["type"] = "environment",
        ["id"] = environment.Id,
        ["name"] = environment.Name,
        ["description"] = environment.Description,
        ["config"] = EnvironmentConfigWire.ToJson(environment.Config),
        ["metadata"] = Wire.Map(environment.Metadata),
        ["created_at"] = Wire.Time(environment.CreatedAt),
        ["updated_at"] = Wire.Time(environment.UpdatedAt),
        ["archived_at"] = Wire.Time(environment.ArchivedAt),
    };

    private static async Task<IResult> CreateAsync(HttpContext http, EnvironmentService environments)
    {
        var body = await Requests.BodyAsync(http.Request);
        var created = await environments.CreateAsync(
            ApiFilter.Workspace(http),
            body.RequiredString("name", 256),
            body.String("description", 2048),
            body.StringMap("metadata"),
            body.Object("config") is { } config ? EnvironmentConfigWire.Read(config, EnvironmentConfig.Default) : null,
            http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(ToJson(created.Value)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ILucidStore store)
    {
        var page = await Requests.PageAsync(() => store.ListEnvironmentsAsync(ApiFilter.Workspace(http), Requests.Flag(http.Request, "include_archived"), Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, ToJson));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, EnvironmentService environments)
    {
        var found = await environments.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Environment, "environment_id"), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(ToJson(found.Value)) : ApiErrors.From(found.Error);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, EnvironmentService environments)
    {
        var workspace = ApiFilter.Workspace(http);
        var current = await environments.GetAsync(workspace, Requests.Id(id, IdPrefixes.Environment, "environment_id"), http.RequestAborted);
        if (!current.IsSuccess)
        {
            return ApiErrors.From(current.Error);
        }

        var body = await Requests.BodyAsync(http.Request);
        if (body.IsNull("name"))
        {
            return ApiErrors.From(LucidError.Invalid("name", "name cannot be cleared."));
        }

        // The API deletes a metadata key whose value is null or the empty string.
        var patch = body.StringMapPatch("metadata")?.ToDictionary(p => p.Key, p => string.IsNullOrEmpty(p.Value) ? null : p.Value, StringComparer.Ordinal);
        var updated = await environments.UpdateAsync(
            workspace,
            id,
            body.String("name", 256) ?? current.Value.Name,
            body.Has("description") ? body.String("description", 2048) : current.Value.Description,
            Wire.Patch(current.Value.Metadata, patch),
            body.Object("config") is { } config ? EnvironmentConfigWire.Read(config, current.Value.Config) : current.Value.Config,
            http.RequestAborted);
        return updated.IsSuccess ? TypedResults.Json(ToJson(updated.Value)) : ApiErrors.From(updated.Error);
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, EnvironmentService environments)
    {
        var archived = await environments.ArchiveAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Environment, "environment_id"), http.RequestAborted);
        return archived.IsSuccess ? TypedResults.Json(ToJson(archived.Value)) : ApiErrors.From(archived.Error);
    }
}
