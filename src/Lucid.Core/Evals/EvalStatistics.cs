using MathNet.Numerics.Distributions;

namespace Lucid.Evals;

/// <summary>The statistics of an eval report: confidence intervals, pass^k and the exact sign test.</summary>
public static class EvalStatistics
{
    /// <summary>
    /// The Wilson score interval for <paramref name="successes"/> out of <paramref name="trials"/> at the confidence
    /// level (0.95 by default); (0, 1) for no trials.
    /// </summary>
    public static (double Low, double High) Wilson(int successes, int trials, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return (0, 1);
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var center = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }

    /// <summary>
    /// pass^k as τ-bench estimates it: for each task with n trials of which c passed, C(c, k) / C(n, k) — the chance
    /// that k trials drawn from its n all pass — averaged over the tasks. Every task needs at least k trials.
    /// </summary>
    public static double PassHatK(IReadOnlyList<(int Passed, int Trials)> tasks, int k)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (tasks.Count == 0)
        {
            return 0;
        }

        return tasks.Average(t => t.Trials < k
            ? throw new ArgumentException($"A task has {t.Trials} trials, fewer than k = {k}.", nameof(tasks))
            : Ratio(t.Passed, t.Trials, k));
    }

    /// <summary>
    /// The exact two-sided sign test (McNemar's exact test on paired outcomes): the chance, when each of
    /// <paramref name="better"/> + <paramref name="worse"/> discordant pairs goes either way with probability ½, of a
    /// split at least as uneven as this one. 1 when there is no discordant pair.
    /// </summary>
    public static double SignTestPValue(int better, int worse)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(better);
        ArgumentOutOfRangeException.ThrowIfNegative(worse);
        var n = better + worse;
        return n == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, n, Math.Min(better, worse)));
    }

    // C(c, k) / C(n, k) as a product of ratios, which stays exact enough without large binomials.
    private static double Ratio(int c, int n, int k)
    {
        var ratio = 1.0;
        for (var i = 0; i < k; i++)
        {
            ratio *= (double)Math.Max(0, c - i) / (n - i);
        }

        return ratio;
    }
}
