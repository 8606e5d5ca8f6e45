using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Memory;

/// <summary><c>/v1/memory_stores</c>: create, list, retrieve, update, archive and delete stores.</summary>
internal static class MemoryStoreEndpoints
{
    public static RouteGroupBuilder MapMemoryStores(this RouteGroupBuilder v1)
    {
        var stores = v1.MapGroup("/memory_stores");
        stores.MapPost("", CreateAsync);
        stores.MapGet("", ListAsync);
        stores.MapGet("/{id}", RetrieveAsync);
        stores.MapPost("/{id}", UpdateAsync);
        stores.MapPost("/{id}/archive", ArchiveAsync);
        stores.MapDelete("/{id}", DeleteAsync);
        stores.MapMemories();
        stores.MapMemoryVersions();
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, MemoryService memory)
    {
        var body = await Requests.BodyAsync(http.Request);
        var created = await memory.CreateStoreAsync(
            ApiFilter.Workspace(http), body.RequiredString("name"), body.String("description"), body.StringMap("metadata"), http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(MemoryWire.Store(created.Value)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, MemoryService memory)
    {
        var query = new MemoryStoreQuery
        {
            IncludeArchived = Requests.Flag(http.Request, "include_archived"),
            CreatedAtOrAfter = Requests.Time(http.Request, "created_at[gte]"),
            CreatedAtOrBefore = Requests.Time(http.Request, "created_at[lte]"),
        };
        var page = await Requests.PageAsync(() => memory.Storage.ListMemoryStoresAsync(ApiFilter.Workspace(http), query, Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, s => MemoryWire.Store(s)));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, MemoryService memory)
    {
        var found = await memory.GetStoreAsync(ApiFilter.Workspace(http), StoreId(id), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(MemoryWire.Store(found.Value)) : ApiErrors.From(found.Error);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, MemoryService memory)
    {
        var workspace = ApiFilter.Workspace(http);
        var current = await memory.GetStoreAsync(workspace, StoreId(id), http.RequestAborted);
        if (!current.IsSuccess)
        {
            return ApiErrors.From(current.Error);
        }

        var body = await Requests.BodyAsync(http.Request);
        if (body.IsNull("name"))
        {
            return ApiErrors.From(LucidError.Invalid("name", "name cannot be cleared."));
        }

        var patch = body.StringMapPatch("metadata");
        var updated = await memory.UpdateStoreAsync(
            workspace,
            id,
            body.String("name"),
            body.IsNull("description") ? "" : body.String("description"),
            patch is null ? null : Wire.Patch(current.Value.Metadata, patch),
            http.RequestAborted);
        return updated.IsSuccess ? TypedResults.Json(MemoryWire.Store(updated.Value)) : ApiErrors.From(updated.Error);
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, MemoryService memory)
    {
        var archived = await memory.ArchiveStoreAsync(ApiFilter.Workspace(http), StoreId(id), http.RequestAborted);
        return archived.IsSuccess ? TypedResults.Json(MemoryWire.Store(archived.Value)) : ApiErrors.From(archived.Error);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, MemoryService memory)
    {
        var deleted = await memory.DeleteStoreAsync(ApiFilter.Workspace(http), StoreId(id), http.RequestAborted);
        return deleted.IsSuccess
            ? TypedResults.Json(new JsonObject { ["type"] = "memory_store_deleted", ["id"] = deleted.Value })
            : ApiErrors.From(deleted.Error);
    }

    internal static string StoreId(string id) => Requests.Id(id, IdPrefixes.MemoryStore, "memory_store_id");
}
