namespace Lucid.Dreams;

/// <summary>
/// A workflow that succeeded repeatedly: the same sequence of tools (<see cref="SessionDigest.Workflow"/>, two steps or
/// more) in <see cref="PatternMiner.MinWorkflowSessions"/> or more sessions that passed their outcome. A dream with
/// review may turn one into a skill.
/// </summary>
public sealed record WorkflowPattern
{
    /// <summary>The tools of its steps, in order.</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <summary>How many passing sessions followed it.</summary>
    public int Sessions { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>Those sessions.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The <c>agent.tool_use</c> events of its steps, session by session (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>The steps as one line, such as <c>get_user → book</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Sequence => string.Join(" → ", Steps);
}
