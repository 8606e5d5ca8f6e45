namespace Lucid.Skills;

/// <summary>A custom skill of a workspace: a named folder of instructions and files, kept as immutable versions.</summary>
public sealed record Skill
{
    /// <summary>The skill's ID (<c>skill_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Its kebab-case slug, set by the first version's SKILL.md and the same in every later version.</summary>
    public required string Name { get; init; }

    /// <summary>A single-line label for people (at most 255 characters); the name unless one was given.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The ID of its newest version, as the store reads it.</summary>
    public string? LatestVersionId { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a version was last added or deleted.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
