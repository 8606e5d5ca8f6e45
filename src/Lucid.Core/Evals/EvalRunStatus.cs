namespace Lucid.Evals;

/// <summary>Where an eval run is: <c>pending → running → completed | failed</c>; named by <see cref="EvalNames"/>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(EvalNames.StatusConverter))]
public enum EvalRunStatus
{
    /// <summary>Stored; not started.</summary>
    Pending,

    /// <summary>Its trials are running.</summary>
    Running,

    /// <summary>Every trial ran and the report is made.</summary>
    Completed,

    /// <summary>It could not run (an arm's memory could not be mounted, the agent could not be made) or was stopped.</summary>
    Failed,
}
