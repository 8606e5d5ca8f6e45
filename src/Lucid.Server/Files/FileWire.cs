using System.Text.Json.Nodes;
using Lucid.Files;
using Lucid.Server.Http;

namespace Lucid.Server.Files;

/// <summary>The wire shape of a file's metadata (the SDK's <c>BetaFileMetadata</c>).</summary>
internal static class FileWire
{
    public static JsonObject ToJson(StoredFile file) => new()
    {
        ["type"] = "file",
        ["id"] = file.Id,
        ["filename"] = file.Filename,
        ["mime_type"] = file.MimeType,
        ["size_bytes"] = file.SizeBytes,
        ["created_at"] = Wire.Time(file.CreatedAt),
        ["downloadable"] = file.Downloadable,
        ["expires_at"] = Wire.Time(file.ExpiresAt),
        ["scope"] = file.ScopeSessionId is { } session ? new JsonObject { ["type"] = "session", ["id"] = session } : null,
    };
}
