namespace Lucid.Agents;

/// <summary>A custom skill an agent loads in its sessions, pinned to one version when the agent version is saved.</summary>
/// <param name="SkillId">The skill (<c>skill_…</c>).</param>
/// <param name="VersionId">The pinned version (<c>skver_…</c>).</param>
public sealed record AgentSkill(string SkillId, string VersionId);

/// <summary>A skill as a request names it: a version ID, <c>latest</c>, or none (the latest when the agent is saved).</summary>
/// <param name="SkillId">The skill (<c>skill_…</c>).</param>
/// <param name="Version">The version to pin, or null for the latest.</param>
public sealed record SkillReference(string SkillId, string? Version);
