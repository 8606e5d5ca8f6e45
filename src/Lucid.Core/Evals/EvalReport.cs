namespace Lucid.Evals;

/// <summary>What a completed run found: each arm's scores, and each arm against the first (the baseline).</summary>
/// <param name="Arms">The arms, in the suite's order.</param>
/// <param name="Comparisons">Each arm after the first, paired task by task with the first.</param>
public sealed record EvalReport(IReadOnlyList<EvalArmReport> Arms, IReadOnlyList<EvalComparison> Comparisons)
{
    /// <summary>Scores the trials of a run of <paramref name="suite"/>; <paramref name="armStores"/> names each arm's mounted store.</summary>
    public static EvalReport From(EvalSuite suite, IReadOnlyDictionary<string, string> armStores, IReadOnlyList<EvalTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(armStores);
        ArgumentNullException.ThrowIfNull(trials);
        var byArm = trials.ToLookup(t => t.Arm, StringComparer.Ordinal);
        var inputPerTrial = suite.Arms.ToDictionary(a => a.Name, a => byArm[a.Name].Select(t => (double)t.Usage.InputTokens).DefaultIfEmpty().Average(), StringComparer.Ordinal);
        var noMemory = suite.Arms.FirstOrDefault(a => a.Kind == EvalArmKind.None)?.Name;
        var arms = suite.Arms.Select(arm =>
        {
            var ran = byArm[arm.Name].ToList();
            var tasks = suite.Tasks.Select(task =>
            {
                var ofTask = ran.Where(t => t.TaskId == task.Id).ToList();
                return new EvalTaskScore(task.Id, ofTask.Count(t => t.Passed), ofTask.Count);
            }).ToList();
            var passed = ran.Count(t => t.Passed);
            var (low, high) = EvalStatistics.Wilson(passed, ran.Count);
            var fewest = tasks.Count == 0 ? 0 : tasks.Min(t => t.Trials);
            var costs = ran.Select(t => t.Usage.ListCostUsd).Where(c => c is not null).ToList();
            return new EvalArmReport
            {
                Arm = arm.Name,
                Kind = arm.Kind,
                MemoryStoreId = armStores.GetValueOrDefault(arm.Name),
                Trials = ran.Count,
                Passed = passed,
                PassRateLow = low,
                PassRateHigh = high,
                PassHatK = [.. Enumerable.Range(1, fewest).Select(k => EvalStatistics.PassHatK([.. tasks.Select(t => (t.Passed, t.Trials))], k))],
                InputTokensPerTrial = inputPerTrial[arm.Name],
                OutputTokensPerTrial = ran.Select(t => (double)t.Usage.OutputTokens).DefaultIfEmpty().Average(),
                ListCostUsdPerTrial = costs.Count == 0 ? null : costs.Sum() / ran.Count,
                MemoryInputTokensPerTrial = arm.Kind == EvalArmKind.None || noMemory is null ? null : inputPerTrial[arm.Name] - inputPerTrial[noMemory],
                Tasks = tasks,
            };
        }).ToList();
        return new EvalReport(arms, [.. arms.Skip(1).Select(arm => Compare(arms[0], arm))]);
    }

    private static EvalComparison Compare(EvalArmReport baseline, EvalArmReport arm)
    {
        var pairs = baseline.Tasks.Zip(arm.Tasks, (b, a) => new EvalTaskFlip(b.TaskId, b.PassRate, a.PassRate)).ToList();
        var improved = pairs.Where(p => p.ArmPassRate > p.BaselinePassRate).ToList();
        var regressed = pairs.Where(p => p.ArmPassRate < p.BaselinePassRate).ToList();
        return new EvalComparison
        {
            Baseline = baseline.Arm,
            Arm = arm.Arm,
            MeanDifference = pairs.Select(p => p.ArmPassRate - p.BaselinePassRate).DefaultIfEmpty().Average(),
            Improved = improved,
            Regressed = regressed,
            Unchanged = pairs.Count - improved.Count - regressed.Count,
            PValue = EvalStatistics.SignTestPValue(improved.Count, regressed.Count),
        };
    }
}
