namespace Lucid.Skills;

/// <summary>One immutable version of a skill: its SKILL.md's name and description and its files, whose bytes are blobs.</summary>
public sealed record SkillVersion
{
    /// <summary>The version's ID (<c>skver_…</c>), which addresses it in paths and pins it on agents.</summary>
    public required string Id { get; init; }

    /// <summary>The skill it belongs to.</summary>
    public required string SkillId { get; init; }

    /// <summary>The skill's name: the directory its files are mounted in.</summary>
    public required string Name { get; init; }

    /// <summary>The description from its SKILL.md's front matter.</summary>
    public required string Description { get; init; }

    /// <summary>Its files, with paths relative to the skill's directory (<c>SKILL.md</c>, <c>scripts/run.py</c>).</summary>
    public required IReadOnlyList<SkillFile> Files { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A file of a skill version.</summary>
/// <param name="Path">Its path relative to the skill's directory.</param>
/// <param name="ContentSha256">The SHA-256 of its bytes in lowercase hex: the key of its blob.</param>
/// <param name="SizeBytes">Its size.</param>
public sealed record SkillFile(string Path, string ContentSha256, long SizeBytes);
