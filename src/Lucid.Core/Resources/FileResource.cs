namespace Lucid.Resources;

/// <summary>A file of the Files API mounted read-only into a session's sandbox, as the session keeps it.</summary>
public sealed record FileResource
{
    /// <summary>The resource's ID (<c>sesrsc_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The mounted file.</summary>
    public required string FileId { get; init; }

    /// <summary>Where the file appears in the sandbox.</summary>
    public required string MountPath { get; init; }

    /// <summary>When it was mounted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
