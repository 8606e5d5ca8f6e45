namespace Lucid.Auth;

/// <summary>An API key as stored: only its SHA-256 hash and a short prefix to recognize it by, never the key itself.</summary>
public sealed record ApiKey
{
    /// <summary>The key's ID (<c>key_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The workspace the key acts in; it can see and touch only that workspace's resources.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A name for people.</summary>
    public string? Name { get; init; }

    /// <summary>The lowercase hex SHA-256 of the key.</summary>
    public required string Hash { get; init; }

    /// <summary>The key's first characters, to tell keys apart in listings.</summary>
    public required string Prefix { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was revoked, or null while it is valid. A revoked key is kept, and refused.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
