using System.Text.Json.Nodes;
using Lucid.Server.Http;
using Lucid.Skills;

namespace Lucid.Server.Skills;

/// <summary>The wire shapes of skills and their versions (the SDK's <c>BetaSkill</c> and <c>BetaSkillVersion</c>).</summary>
internal static class SkillWire
{
    public static JsonObject ToJson(Skill skill) => new()
    {
        ["type"] = "skill",
        ["id"] = skill.Id,
        ["display_name"] = skill.DisplayName,
        ["latest_version_id"] = skill.LatestVersionId,
        ["source"] = new JsonObject { ["type"] = "custom" },
        ["created_at"] = Wire.Time(skill.CreatedAt),
        ["updated_at"] = Wire.Time(skill.UpdatedAt),
    };

    public static JsonObject ToJson(SkillVersion version) => new()
    {
        ["type"] = "skill_version",
        ["id"] = version.Id,
        ["skill_id"] = version.SkillId,
        ["name"] = version.Name,
        ["description"] = version.Description,
        ["created_at"] = Wire.Time(version.CreatedAt),
    };
}
