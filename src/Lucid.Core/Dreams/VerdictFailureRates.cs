namespace Lucid.Dreams;

/// <summary>Tool calls and failures over all tools, by how the session ended.</summary>
public sealed record VerdictFailureRates
{
    /// <summary>Calls in passing sessions.</summary>
    public int PassingCalls { get; init; }

    /// <summary>Failed calls in passing sessions.</summary>
    public int PassingErrors { get; init; }

    /// <summary>Calls in failing sessions.</summary>
    public int FailingCalls { get; init; }

    /// <summary>Failed calls in failing sessions.</summary>
    public int FailingErrors { get; init; }

    /// <summary>Calls in ungraded sessions.</summary>
    public int UngradedCalls { get; init; }

    /// <summary>Failed calls in ungraded sessions.</summary>
    public int UngradedErrors { get; init; }

    /// <summary>Passing sessions with at least one failed call.</summary>
    public int PassingSessionsWithErrors { get; init; }

    /// <summary>Failing sessions with at least one failed call.</summary>
    public int FailingSessionsWithErrors { get; init; }

    /// <summary>Errors / calls in passing sessions.</summary>
    public double PassingFailureRate => ToolFailureStats.Rate(PassingErrors, PassingCalls);

    /// <summary>Errors / calls in failing sessions.</summary>
    public double FailingFailureRate => ToolFailureStats.Rate(FailingErrors, FailingCalls);
}
