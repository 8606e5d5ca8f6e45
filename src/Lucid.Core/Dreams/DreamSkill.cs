namespace Lucid.Dreams;

/// <summary>A skill a dream proposes from a workflow that succeeded repeatedly, as its <c>SKILL.md</c> will be uploaded.</summary>
/// <param name="Name">The skill's name (kebab-case); a skill of that name in the workspace gets a new version.</param>
/// <param name="Description">Its front matter's description.</param>
/// <param name="Content">The whole <c>SKILL.md</c>: front matter, when to use it, the steps and the sessions it came from.</param>
/// <param name="Workflow">The mined workflow it follows, such as <c>get_user → search → book</c>.</param>
/// <param name="SessionIds">The sessions it cites, where the workflow succeeded.</param>
public sealed record DreamSkill(string Name, string Description, string Content, string Workflow, IReadOnlyList<string> SessionIds);
