using System.Text.Json.Nodes;
using Lucid.Memory;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Memory;

/// <summary>The wire shapes of memory stores, memories and versions, as the official SDK reads them.</summary>
internal static class MemoryWire
{
    public static JsonObject Store(MemoryStore store) => new()
    {
        ["type"] = "memory_store",
        ["id"] = store.Id,
        ["name"] = store.Name,
        ["description"] = store.Description,
        ["metadata"] = Wire.Map(store.Metadata),
        ["created_at"] = Wire.Time(store.CreatedAt),
        ["updated_at"] = Wire.Time(store.UpdatedAt),
        ["archived_at"] = Wire.Time(store.ArchivedAt),
    };

    public static JsonObject Memory(MemoryDocument memory, bool full) => new()
    {
        ["type"] = "memory",
        ["id"] = memory.Id,
        ["memory_store_id"] = memory.StoreId,
        ["path"] = memory.Path,
        ["content"] = full ? memory.Content : null,
        ["content_sha256"] = memory.ContentSha256,
        ["content_size_bytes"] = memory.ContentSizeBytes,
        ["memory_version_id"] = memory.VersionId,
        ["created_at"] = Wire.Time(memory.CreatedAt),
        ["updated_at"] = Wire.Time(memory.UpdatedAt),
    };

    public static JsonObject Item(MemoryListItem item, bool full) =>
        item.Memory is { } memory ? Memory(memory, full) : new JsonObject { ["type"] = "memory_prefix", ["path"] = item.Prefix };

    public static JsonObject Version(MemoryVersion version, bool full) => new()
    {
        ["type"] = "memory_version",
        ["id"] = version.Id,
        ["memory_store_id"] = version.StoreId,
        ["memory_id"] = version.MemoryId,
        ["operation"] = version.Operation switch
        {
            MemoryOperation.Created => "created",
            MemoryOperation.Modified => "modified",
            _ => "deleted",
        },
        ["path"] = version.Path,
        ["content"] = full ? version.Content : null,
        ["content_sha256"] = version.ContentSha256,
        ["content_size_bytes"] = version.ContentSizeBytes,
        ["created_by"] = Actor(version.CreatedBy),
        ["created_at"] = Wire.Time(version.CreatedAt),
        ["redacted_at"] = Wire.Time(version.RedactedAt),
        ["redacted_by"] = version.RedactedBy is { } by ? Actor(by) : null,
    };

    // A dream writes through the session that records its work, so it is a session actor on the wire, naming the dream too.
    public static JsonObject Actor(MemoryActor actor) => actor.Kind switch
    {
        MemoryActorKind.ApiKey => new JsonObject { ["type"] = "api_actor", ["api_key_id"] = actor.Id },
        MemoryActorKind.User => new JsonObject { ["type"] = "user_actor", ["user_id"] = actor.Id },
        MemoryActorKind.Session => new JsonObject { ["type"] = "session_actor", ["session_id"] = actor.Id },
        _ => new JsonObject { ["type"] = "session_actor", ["session_id"] = actor.Id, ["dream_id"] = actor.DreamId },
    };

    /// <summary>Reads <c>view</c>: <c>basic</c> leaves contents out, <c>full</c> puts them in.</summary>
    public static bool Full(HttpRequest request, bool byDefault) =>
        request.Query["view"].ToString() switch
        {
            "" => byDefault,
            "full" => true,
            "basic" => false,
            var other => throw RequestException.Invalid("view", $"view must be basic or full, not '{(other.Length <= 32 ? other : other[..32] + "…")}'."),
        };
}
