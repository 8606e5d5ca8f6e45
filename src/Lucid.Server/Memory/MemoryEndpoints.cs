using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Memory;

/// <summary><c>/v1/memory_stores/{id}/memories</c>: create, list, retrieve, update (edit or rename) and delete memories.</summary>
internal static class MemoryEndpoints
{
    public static RouteGroupBuilder MapMemories(this RouteGroupBuilder stores)
    {
        var memories = stores.MapGroup("/{storeId}/memories");
        memories.MapPost("", CreateAsync);
        memories.MapGet("", ListAsync);
        memories.MapGet("/{id}", RetrieveAsync);
        memories.MapPost("/{id}", UpdateAsync);
        memories.MapDelete("/{id}", DeleteAsync);
        return stores;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string storeId, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: false);
        var body = await Requests.BodyAsync(http.Request);
        var created = await memory.CreateMemoryAsync(
            ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), body.RequiredString("path"), body.RequiredString("content"), Actor(http), http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(MemoryWire.Memory(created.Value, full)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, string storeId, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: false);
        var prefix = http.Request.Query["path_prefix"].ToString();
        var depth = Requests.Int(http.Request, "depth", 0, MemoryPaths.MaxSegments) ?? 0;
        var request = Requests.Page(http.Request);
        var listed = await Requests.PageAsync(async () =>
        {
            var result = await memory.ListMemoriesAsync(
                ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), prefix.Length == 0 ? null : prefix, depth, full, request, http.RequestAborted);
            return result.IsSuccess ? result.Value : throw new RequestException(result.Error);
        });
        return TypedResults.Json(Wire.Page(listed, i => MemoryWire.Item(i, full)));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string storeId, string id, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: true);
        var found = await memory.GetMemoryAsync(ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), MemoryId(id), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(MemoryWire.Memory(found.Value, full)) : ApiErrors.From(found.Error);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string storeId, string id, MemoryService memory)
    {
        var full = MemoryWire.Full(http.Request, byDefault: false);
        var body = await Requests.BodyAsync(http.Request);
        string? expected = null;
        if (body.Object("precondition") is { } precondition)
        {
            var type = precondition.RequiredString("type");
            if (type != "content_sha256")
            {
                throw RequestException.Invalid("precondition.type", $"precondition.type must be content_sha256, not '{type}'.");
            }

            expected = precondition.RequiredString("content_sha256");
        }

        var updated = await memory.UpdateMemoryAsync(
            ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), MemoryId(id), body.String("content"), body.String("path"), expected, Actor(http), http.RequestAborted);
        return updated.IsSuccess ? TypedResults.Json(MemoryWire.Memory(updated.Value, full)) : ApiErrors.From(updated.Error);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string storeId, string id, MemoryService memory)
    {
        var expected = http.Request.Query["expected_content_sha256"].ToString();
        var deleted = await memory.DeleteMemoryAsync(
            ApiFilter.Workspace(http), MemoryStoreEndpoints.StoreId(storeId), MemoryId(id), expected.Length == 0 ? null : expected, Actor(http), http.RequestAborted);
        return deleted.IsSuccess
            ? TypedResults.Json(new JsonObject { ["type"] = "memory_deleted", ["id"] = deleted.Value })
            : ApiErrors.From(deleted.Error);
    }

    internal static MemoryActor Actor(HttpContext http) => MemoryActor.ApiKey(ApiFilter.ApiKeyId(http));

    private static string MemoryId(string id) => Requests.Id(id, IdPrefixes.Memory, "memory_id");
}
