using Lucid.Results;

namespace Lucid.Sessions;

/// <summary>When a session may have a budget and how it may change, with the API's reasons.</summary>
internal sealed class SessionBudgetRules(EngineParts parts)
{
    // The API's rules for changing a budget, with its reasons: budget_create_only, budget_not_raised, model_not_budgetable.
    public async Task<LucidError?> CheckChangeAsync(Session session, SessionBudget? budget, CancellationToken cancellationToken)
    {
        if (session.Status == SessionStatus.Terminated)
        {
            return LucidError.Conflict($"Session '{session.Id}' is terminated; its budget can no longer change.");
        }

        if (budget is null)
        {
            return null;
        }

        if (session.Budget is null)
        {
            return LucidError.Invalid("budget", $"budget_create_only: session '{session.Id}' has no budget, and a budget can only be set when a session is created (a removed budget cannot be added back).");
        }

        var spent = session.Usage.ListCostUsd ?? 0;
        if (budget.IsReachedBy(spent))
        {
            return LucidError.Invalid(
                "budget.max_list_cost",
                $"budget_not_raised: the session has already cost {MonetaryAmount.FromUsd(spent).Amount} cents at list prices; a new max_list_cost must be above that (got {budget.MaxListCost.Amount}).");
        }

        var agent = await parts.Agents.GetAsync(session.AgentId, session.AgentVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing.");
        return await ErrorForAgentAsync(agent, cancellationToken);
    }

    /// <summary>
    /// Why sessions of <paramref name="agent"/> cannot have a budget, or null when they can: a budget measures list
    /// prices, so every model the session can run (the agent's, its roster's and its advisor's) needs them.
    /// </summary>
    public async Task<LucidError?> ErrorForAgentAsync(Agents.Agent agent, CancellationToken cancellationToken)
    {
        var roster = agent.Multiagent is { } multiagent ? await multiagent.LoadRosterAsync(parts.Store, agent, cancellationToken) : [];
        var unpriced = roster.Prepend(agent).Select(a => a.Model).Append(agent.Multiagent?.Advisor).OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(m => !parts.Options.Catalog.Get(m).IsPriced).ToList();
        return unpriced.Count == 0 ? null : LucidError.Invalid(
            "budget",
            $"model_not_budgetable: {string.Join(", ", unpriced.Select(m => $"'{m}'"))} {(unpriced.Count == 1 ? "has" : "have")} no list price in Lucid's model catalog, so a budget cannot measure {(unpriced.Count == 1 ? "it" : "them")}. Add input_usd_per_mtok and output_usd_per_mtok for the model under \"models\" in config.json, or omit the budget.");
    }
}
