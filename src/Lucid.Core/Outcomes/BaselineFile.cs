namespace Lucid.Outcomes;

/// <summary>One file of an outcome's baseline: what it was when work toward the outcome began.</summary>
/// <param name="Path">The path relative to the work directory, with <c>/</c> separators.</param>
/// <param name="Size">The size in bytes (0 when the file could not be read).</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the content; null for a file too large to hash, or one that could not be read.</param>
public sealed record BaselineFile(string Path, long Size, string? Sha256)
{
    /// <summary>When the file was last written, for a file too large to hash: such a file is compared by size and this.</summary>
    public DateTimeOffset? ModifiedAt { get; init; }
}
