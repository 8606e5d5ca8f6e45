namespace Lucid.Files;

/// <summary>A file of the Files API: its metadata; the bytes live in the blob store under <see cref="ContentSha256"/>.</summary>
public sealed record StoredFile
{
    /// <summary>The file's ID (<c>file_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The name it was uploaded with (its last path component only).</summary>
    public required string Filename { get; init; }

    /// <summary>Its MIME type, as uploaded (or guessed from the name when the upload named none).</summary>
    public required string MimeType { get; init; }

    /// <summary>Its size in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The SHA-256 of its bytes, in lowercase hex: the key of its blob.</summary>
    public required string ContentSha256 { get; init; }

    /// <summary>Whether its content can be downloaded.</summary>
    public bool Downloadable { get; init; } = true;

    /// <summary>The session that wrote it under its outputs directory, or null for an uploaded file.</summary>
    public string? ScopeSessionId { get; init; }

    /// <summary>The path under the session's outputs directory it was written at, for a session output; null otherwise.</summary>
    public string? OutputPath { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its bytes become unavailable, or null when it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
