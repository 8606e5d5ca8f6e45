using Lucid.Ids;
using Lucid.Results;
using Lucid.Skills;
using Lucid.Storage;

namespace Lucid.Agents;

/// <summary>Checks the skills an agent definition names and pins each to a version.</summary>
internal static class AgentSkills
{
    /// <summary>The most skills an agent may load.</summary>
    public const int MaxSkills = 20;

    private const string Field = "skills";

    /// <summary>
    /// Each reference as a pinned skill: the skill must be one of the workspace's, its version one of the skill's (the
    /// latest when none or <c>latest</c> is named), and no two skills may share a name (each is mounted at its name).
    /// </summary>
    public static async Task<Result<IReadOnlyList<AgentSkill>>> ResolveAsync(ISkillStore store, string workspaceId, IReadOnlyList<SkillReference> references, CancellationToken cancellationToken)
    {
        if (references.Count > MaxSkills)
        {
            return LucidError.Invalid(Field, $"An agent may load at most {MaxSkills} skills; got {references.Count}.");
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var pinned = new List<AgentSkill>(references.Count);
        for (var i = 0; i < references.Count; i++)
        {
            var (skillId, version) = references[i];
            var skill = IdPrefixes.Has(skillId, IdPrefixes.Skill) ? await store.GetSkillAsync(skillId, cancellationToken) : null;
            if (skill is null || skill.WorkspaceId != workspaceId)
            {
                return LucidError.Invalid($"{Field}[{i}].skill_id", $"Skill '{skillId}' does not exist in this workspace.");
            }

            var versionId = version is null or SkillService.Latest ? skill.LatestVersionId : version;
            if (versionId is null || await store.GetSkillVersionAsync(skillId, versionId, cancellationToken) is null)
            {
                return LucidError.Invalid($"{Field}[{i}].version", $"Skill '{skillId}' has no version '{version}'.");
            }

            if (!names.TryAdd(skill.Name, skillId))
            {
                return LucidError.Invalid($"{Field}[{i}]", names[skill.Name] == skillId
                    ? $"Skill '{skillId}' is listed more than once."
                    : $"Skills '{names[skill.Name]}' and '{skillId}' are both named '{skill.Name}'; each is mounted at its name, so names must differ.");
            }

            pinned.Add(new AgentSkill(skillId, versionId));
        }

        return pinned;
    }
}
