namespace Lucid.Resources;

/// <summary>A git repository cloned into a session when it was created, as the session keeps it (never its token).</summary>
public sealed record RepositoryResource
{
    /// <summary>The resource's ID (<c>sesrsc_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The URL (or local path) it was cloned from.</summary>
    public required string Url { get; init; }

    /// <summary>Where the clone appears in the sandbox.</summary>
    public required string MountPath { get; init; }

    /// <summary>The branch or commit checked out, or null for the repository's default branch.</summary>
    public RepositoryCheckout? Checkout { get; init; }

    /// <summary>When it was cloned.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
