namespace Lucid.Evals;

/// <summary>One arm's scores over its trials.</summary>
public sealed record EvalArmReport
{
    /// <summary>The arm's name.</summary>
    public required string Arm { get; init; }

    /// <summary>Where its memory came from.</summary>
    public required EvalArmKind Kind { get; init; }

    /// <summary>The store its sessions mounted, or null.</summary>
    public string? MemoryStoreId { get; init; }

    /// <summary>Its trials.</summary>
    public required int Trials { get; init; }

    /// <summary>Its trials that passed.</summary>
    public required int Passed { get; init; }

    /// <summary>Passed over trials.</summary>
    public double PassRate => Trials == 0 ? 0 : (double)Passed / Trials;

    /// <summary>The low end of the pass rate's 95% Wilson interval.</summary>
    public required double PassRateLow { get; init; }

    /// <summary>The high end of the pass rate's 95% Wilson interval.</summary>
    public required double PassRateHigh { get; init; }

    /// <summary>pass^k for k = 1 … trials per task (index k − 1), averaged over tasks.</summary>
    public required IReadOnlyList<double> PassHatK { get; init; }

    /// <summary>Input tokens of one trial (agent and grader), on average.</summary>
    public required double InputTokensPerTrial { get; init; }

    /// <summary>Output tokens of one trial (agent and grader), on average.</summary>
    public required double OutputTokensPerTrial { get; init; }

    /// <summary>List cost of one trial in US dollars, on average; null when no trial's models had prices.</summary>
    public decimal? ListCostUsdPerTrial { get; init; }

    /// <summary>
    /// The input tokens per trial the memory added: this arm's average less the first <c>none</c> arm's, measured from
    /// the sessions' usage; null for a <c>none</c> arm or when the suite has none.
    /// </summary>
    public double? MemoryInputTokensPerTrial { get; init; }

    /// <summary>Each task's passes, in the suite's order.</summary>
    public required IReadOnlyList<EvalTaskScore> Tasks { get; init; }
}
