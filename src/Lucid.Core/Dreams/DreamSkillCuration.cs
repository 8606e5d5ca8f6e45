using System.Globalization;
using System.Text.RegularExpressions;
using Lucid.Secrets;
using Lucid.Skills;

namespace Lucid.Dreams;

/// <summary>
/// Checks the curate stage's <c>add_skill</c> operations in code and adds them to the plan <see cref="DreamCuration"/>
/// made of the others. A skill must follow one mined <see cref="WorkflowPattern"/>: its citations name events of at least
/// <see cref="PatternMiner.MinWorkflowSessions"/> sessions, all of which followed that workflow and passed. Its
/// <c>SKILL.md</c> is rendered by code and must read back as a valid skill of its name. Only a dream with review may
/// propose one, since a skill is created when a reviewer accepts it; a dream without review refuses every such operation.
/// </summary>
internal static partial class DreamSkillCuration
{
    /// <summary>The plan with the skills of <paramref name="operations"/> checked and added.</summary>
    /// <param name="plan">The plan of the other operations.</param>
    /// <param name="operations">Every operation of the curate reply, in order.</param>
    /// <param name="evidence">The events the dream read.</param>
    /// <param name="workflows">The workflows mined.</param>
    /// <param name="reviewed">Whether the dream was created with review required.</param>
    /// <param name="secrets">The scanner that refuses secrets.</param>
    /// <param name="dreamId">The dream.</param>
    public static DreamCuration.Plan Add(
        DreamCuration.Plan plan, IReadOnlyList<DreamOperation> operations, DreamEvidence evidence, IReadOnlyList<WorkflowPattern> workflows, bool reviewed, SecretScanner secrets, string dreamId)
    {
        var changes = new List<DreamChange>();
        var refused = new List<string>();
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            if (!DreamNames.TryParseOperationKind(op.Op, out var kind) || kind != DreamOperationKind.AddSkill)
            {
                continue;
            }

            var name = $"operation {i + 1} ({op.Op} {op.Path})";
            if (!reviewed)
            {
                refused.Add($"{op.Op} {secrets.Redact(op.Path)}: refused — this dream writes memory directly, without review, so it cannot create a skill. Nothing of it was written.");
                continue;
            }

            var (skill, problem) = Check(op, name, evidence, workflows, dreamId);
            if (skill is null)
            {
                problems.Add(problem);
                continue;
            }

            // The name and reason are shown and stored too, so they are scanned with the SKILL.md.
            if (secrets.Find($"{op.Path}\n{skill.Content}\n{op.Reason}") is [var secret, ..])
            {
                refused.Add($"{op.Op} {secrets.Redact(op.Path)}: refused — it contained a secret ({secret}). Nothing of it was proposed.");
                continue;
            }

            if (!names.Add(skill.Name))
            {
                problems.Add($"{name}: another operation already proposes a skill named {skill.Name}; propose each skill once.");
                continue;
            }

            changes.Add(new DreamChange(kind, skill.Name, [], op.Reason, op.EventIds, []) { Skill = skill });
        }

        return plan with { Changes = [.. plan.Changes, .. changes], Refused = [.. plan.Refused, .. refused], Problems = [.. plan.Problems, .. problems] };
    }

    // The skill, or (null and) the problem to send back to the model.
    private static (DreamSkill? Skill, string Problem) Check(DreamOperation op, string name, DreamEvidence evidence, IReadOnlyList<WorkflowPattern> workflows, string dreamId)
    {
        if (SkillManifest.CheckName(op.Path) is { } nameError)
        {
            return (null, $"{name}: path is the skill's name. {nameError.Message}");
        }

        var steps = op.Do.Split('\n').Select(l => ListMarker().Replace(l, "").Trim()).Where(l => l.Length > 0).ToList();
        if (string.IsNullOrWhiteSpace(op.Title) || string.IsNullOrWhiteSpace(op.When) || steps.Count < PatternMiner.MinWorkflowSteps)
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"{name}: a skill needs its description (title), when to use it (when) and at least {PatternMiner.MinWorkflowSteps} steps, one per line (do)."));
        }

        if (string.IsNullOrWhiteSpace(op.Reason))
        {
            return (null, $"{name}: give a reason.");
        }

        var unknown = op.EventIds.Where(e => !evidence.Contains(e)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return (null, $"{name}: cites event IDs that are not events of the input sessions: {string.Join(", ", unknown.Take(10))}. Cite only IDs shown in the digests.");
        }

        var sessions = op.EventIds.Select(evidence.SessionOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var workflow = sessions.Count >= PatternMiner.MinWorkflowSessions
            ? workflows.FirstOrDefault(w => sessions.All(w.SessionIds.Contains))
            : null;
        if (workflow is null)
        {
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"{name}: a skill must cite events of at least {PatternMiner.MinWorkflowSessions} sessions that all followed one of the workflows listed (it cites {sessions.Count} sessions{(sessions.Count >= PatternMiner.MinWorkflowSessions ? " that did not all follow one listed workflow" : "")})."));
        }

        var content = SkillMarkdown.Render(op.Path, op.Title, op.When, steps, op.EventIds, evidence, workflow, dreamId);
        var manifest = SkillManifest.Parse(content);
        if (!manifest.IsSuccess || manifest.Value.Name != op.Path)
        {
            return (null, $"{name}: the SKILL.md as written is not a valid skill: {(manifest.IsSuccess ? "it names another skill" : manifest.Error.Message)} Shorten or fix its description.");
        }

        return (new DreamSkill(op.Path, manifest.Value.Description, content, workflow.Sequence, sessions), "");
    }

    [GeneratedRegex(@"^\s*(?:\d+[.)]|[-*])\s+")]
    private static partial Regex ListMarker();
}
