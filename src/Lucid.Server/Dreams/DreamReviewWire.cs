using System.Text.Json.Nodes;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Server.Http;

namespace Lucid.Server.Dreams;

/// <summary>
/// The wire shapes of dream review (a Lucid extension): the <c>review</c> field of a dream created with review required,
/// and a proposed change as <c>/v1/lucid/dreams/{id}/changes</c> returns it.
/// </summary>
internal static class DreamReviewWire
{
    /// <summary>A dream's review as its <c>review</c> field shows it: the state and each change without its contents.</summary>
    public static JsonObject Review(DreamReview review) => new()
    {
        ["state"] = review.State.ToWire(),
        ["changes"] = new JsonArray([.. review.Changes.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["op"] = c.Op.ToWire(),
            ["path"] = c.Path,
            ["decision"] = c.Decision.ToWire(),
        })]),
        ["finished_by"] = review.FinishedBy,
        ["finished_at"] = Wire.Time(review.FinishedAt),
    };

    /// <summary>A proposed change in full: what it writes, what it replaces (for a diff), the skill it proposes, and the decision.</summary>
    public static JsonObject Change(string dreamId, DreamProposedChange change) => new()
    {
        ["type"] = "dream_change",
        ["id"] = change.Id,
        ["dream_id"] = dreamId,
        ["op"] = change.Op.ToWire(),
        ["path"] = change.Path,
        ["sources"] = new JsonArray([.. change.Sources.Select(s => JsonValue.Create(s))]),
        ["reason"] = change.Reason,
        ["event_ids"] = new JsonArray([.. change.EventIds.Select(e => JsonValue.Create(e))]),
        ["content"] = change.Content,
        ["replaces"] = new JsonArray([.. change.Replaces.Select(r => (JsonNode)new JsonObject
        {
            ["path"] = r.Path,
            ["version_id"] = r.VersionId,
            ["content_sha256"] = r.ContentSha256,
            ["content"] = r.Content,
        })]),
        ["decision"] = change.Decision.ToWire(),
        ["decided_by"] = change.DecidedBy,
        ["decided_at"] = Wire.Time(change.DecidedAt),
        ["skill"] = change.Skill is { } skill ? Skill(skill, change) : null,
    };

    // An add_skill change's skill: its SKILL.md as proposed and, once accepted, the skill and version created.
    private static JsonObject Skill(DreamSkill skill, DreamProposedChange change) => new()
    {
        ["name"] = skill.Name,
        ["description"] = skill.Description,
        ["content"] = skill.Content,
        ["workflow"] = skill.Workflow,
        ["session_ids"] = new JsonArray([.. skill.SessionIds.Select(s => JsonValue.Create(s))]),
        ["skill_id"] = change.SkillId,
        ["skill_version_id"] = change.SkillVersionId,
    };
}
