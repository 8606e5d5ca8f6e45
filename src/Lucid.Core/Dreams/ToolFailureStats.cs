namespace Lucid.Dreams;

/// <summary>One tool's calls and failures across the mined sessions.</summary>
public sealed record ToolFailureStats
{
    /// <summary>The tool's name.</summary>
    public required string Tool { get; init; }

    /// <summary>Calls in all sessions.</summary>
    public int Calls { get; init; }

    /// <summary>Failed calls in all sessions.</summary>
    public int Errors { get; init; }

    /// <summary>Sessions that called it.</summary>
    public int Sessions { get; init; }

    /// <summary>Calls in passing sessions.</summary>
    public int PassingCalls { get; init; }

    /// <summary>Failed calls in passing sessions.</summary>
    public int PassingErrors { get; init; }

    /// <summary>Calls in failing sessions.</summary>
    public int FailingCalls { get; init; }

    /// <summary>Failed calls in failing sessions.</summary>
    public int FailingErrors { get; init; }

    /// <summary>Errors / calls.</summary>
    public double FailureRate => Rate(Errors, Calls);

    /// <summary>Errors / calls in passing sessions.</summary>
    public double PassingFailureRate => Rate(PassingErrors, PassingCalls);

    /// <summary>Errors / calls in failing sessions.</summary>
    public double FailingFailureRate => Rate(FailingErrors, FailingCalls);

    /// <summary>Errors over calls; 0 when there were no calls.</summary>
    public static double Rate(int errors, int calls) => calls == 0 ? 0 : (double)errors / calls;
}
