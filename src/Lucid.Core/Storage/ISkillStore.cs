using Lucid.Skills;

namespace Lucid.Storage;

/// <summary>Persists skills and their versions' metadata (their files' bytes are in an <see cref="IBlobStore"/>).</summary>
public interface ISkillStore
{
    /// <summary>Stores a new skill with its first version, together.</summary>
    Task CreateSkillAsync(Skill skill, SkillVersion first, CancellationToken cancellationToken);

    /// <summary>Adds a version to its skill, which becomes its latest, and sets the skill's update time to the version's creation. Returns false when the skill is gone.</summary>
    Task<bool> AddSkillVersionAsync(SkillVersion version, CancellationToken cancellationToken);

    /// <summary>Returns a skill with its latest version's ID, or null.</summary>
    Task<Skill?> GetSkillAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's skills, newest first.</summary>
    Task<Page<Skill>> ListSkillsAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Returns a version of a skill, or null.</summary>
    Task<SkillVersion?> GetSkillVersionAsync(string skillId, string versionId, CancellationToken cancellationToken);

    /// <summary>Lists a skill's versions, newest first.</summary>
    Task<Page<SkillVersion>> ListSkillVersionsAsync(string skillId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes a skill with all its versions and returns those versions, or null when it is absent.</summary>
    Task<IReadOnlyList<SkillVersion>?> DeleteSkillAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes a version of a skill unless it is the skill's only one; the skill's update time becomes <paramref name="at"/>.</summary>
    Task<SkillVersionDeletion> DeleteSkillVersionAsync(string skillId, string versionId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>What deleting a skill version did.</summary>
public enum SkillVersionDeletion
{
    /// <summary>The version is gone.</summary>
    Deleted,

    /// <summary>The skill has no such version.</summary>
    NotFound,

    /// <summary>Nothing: the version is the skill's only one, and a skill always has one.</summary>
    OnlyVersion,
}
