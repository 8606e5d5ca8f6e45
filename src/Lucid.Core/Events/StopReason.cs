namespace Lucid.Events;

/// <summary>Why a session went idle.</summary>
/// <param name="Type"><c>end_turn</c>, <c>requires_action</c>, <c>retries_exhausted</c> or <c>budget_reached</c>.</param>
/// <param name="EventIds">With <c>requires_action</c>: the events waiting for the client (tool confirmations, custom tool results).</param>
public sealed record StopReason(string Type, IReadOnlyList<string>? EventIds = null)
{
    /// <summary>The agent finished its turn.</summary>
    public static StopReason EndTurn { get; } = new("end_turn");

    /// <summary>A model request failed after its retries.</summary>
    public static StopReason RetriesExhausted { get; } = new("retries_exhausted");

    /// <summary>The session's list cost reached its budget; raising the budget lets it go on.</summary>
    public static StopReason BudgetReached { get; } = new("budget_reached");

    /// <summary>The session waits for the client to answer the given events.</summary>
    public static StopReason RequiresAction(IReadOnlyList<string> eventIds) => new("requires_action", eventIds);
}
