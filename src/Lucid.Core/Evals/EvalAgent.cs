using Lucid.Agents;

namespace Lucid.Evals;

/// <summary>The agent of a suite: exactly one of a saved agent's ID or an inline definition.</summary>
/// <param name="AgentId">A saved agent (<c>agent_…</c>), at its latest version.</param>
/// <param name="Definition">An agent defined inline, created when the run starts.</param>
public sealed record EvalAgent(string? AgentId, AgentDefinition? Definition);
