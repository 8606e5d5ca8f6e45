using Lucid.Ids;
using Lucid.Memory;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Memory;

/// <summary><c>/v1/memory_stores/{id}/memory_versions</c>: list, retrieve and redact a store's history.</summary>
internal static class MemoryVersionEndpoints
{
    public static RouteGroupBuilder MapMemoryVersions(this RouteGroupBuilder stores)
    {
        var versions = stores.MapGroup("/{storeId}/memory_versions");
        versions.MapGet("", ListAsync);
        versions.MapGet("/{id}", RetrieveAsync);
        versions.MapPost("/{id}/redact", RedactAsync);
        return stores;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string storeId, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: false);
        var query = new MemoryVersionQuery
        {
            MemoryId = Optional(http, "memory_id", IdPrefixes.Memory),
            Operation = http.Request.Query["operation"].ToString() switch
            {
                "" => null,
                "created" => MemoryOperation.Created,
                "modified" => MemoryOperation.Modified,
                "deleted" => MemoryOperation.Deleted,
                var other => throw RequestException.Invalid("operation", $"operation must be created, modified or deleted, not '{other}'."),
            },
            CreatedAtOrAfter = Requests.Time(http.Request, "created_at[gte]"),
            CreatedAtOrBefore = Requests.Time(http.Request, "created_at[lte]"),
            IncludeContent = full,
        };
        var actors = new (string Name, MemoryActorKind Kind)[] { ("session_id", MemoryActorKind.Session), ("api_key_id", MemoryActorKind.ApiKey), ("user_id", MemoryActorKind.User) };
        foreach (var (name, kind) in actors)
        {
            var value = http.Request.Query[name].ToString();
            if (value.Length == 0)
            {
                continue;
            }

            if (query.ActorKind is not null)
            {
                throw RequestException.Invalid(name, "Filter by one actor at a time: session_id, api_key_id or user_id.");
            }

            query = query with { ActorKind = kind, ActorId = value };
        }

        var request = Requests.Page(http.Request);
        var listed = await Requests.PageAsync(async () =>
        {
            var result = await memory.ListVersionsAsync(ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), query, request, http.RequestAborted);
            return result.IsSuccess ? result.Value : throw new RequestException(result.Error);
        });
        return TypedResults.Json(Wire.Page(listed, v => MemoryWire.Version(v, full)));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string storeId, string id, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: true);
        var found = await memory.GetVersionAsync(ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), VersionId(id), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(MemoryWire.Version(found.Value, full)) : ApiErrors.From(found.Error);
    }

    private static async Task<IResult> RedactAsync(HttpContext http, string storeId, string id, MemoryService memory)
    {
        var redacted = await memory.RedactVersionAsync(
            ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), VersionId(id), MemoryEndpoints.Actor(http), http.RequestAborted);
        return redacted.IsSuccess ? TypedResults.Json(MemoryWire.Version(redacted.Value, full: true)) : ApiErrors.From(redacted.Error);
    }

    private static string? Optional(HttpContext http, string name, string prefix)
    {
        var value = http.Request.Query[name].ToString();
        return value.Length == 0 ? null : Requests.Id(value, prefix, name);
    }

    private static string VersionId(string id) => Requests.Id(id, IdPrefixes.MemoryVersion, "memory_version_id");
}
