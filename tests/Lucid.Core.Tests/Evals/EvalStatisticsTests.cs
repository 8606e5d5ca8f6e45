using Lucid.Evals;

namespace Lucid.Core.Tests.Evals;

public sealed class EvalStatisticsTests
{
    [Theory]
    [InlineData(5, 10, 0.236593, 0.763407)]
    [InlineData(0, 10, 0.0, 0.277533)]
    [InlineData(10, 10, 0.722467, 1.0)]
    [InlineData(81, 263, 0.255289, 0.366210)]
    public void Wilson_matches_published_intervals(int successes, int trials, double low, double high)
    {
        var (l, h) = EvalStatistics.Wilson(successes, trials);

        Assert.Equal(low, l, 5);
        Assert.Equal(high, h, 5);
    }

    [Fact]
    public void Wilson_of_no_trials_is_the_whole_range() => Assert.Equal((0.0, 1.0), EvalStatistics.Wilson(0, 0));

    [Theory]
    [InlineData(10, 0, 0.001953125)]
    [InlineData(0, 10, 0.001953125)]
    [InlineData(8, 2, 0.109375)]
    [InlineData(7, 1, 0.0703125)]
    [InlineData(5, 5, 1.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(0, 0, 1.0)]
    [InlineData(25, 0, 5.960464477539063e-08)]
    public void Sign_test_gives_exact_two_sided_binomial_p_values(int better, int worse, double p) =>
        Assert.Equal(p, EvalStatistics.SignTestPValue(better, worse), 12);

    [Fact]
    public void Pass_hat_k_averages_the_chance_that_k_of_n_trials_all_pass()
    {
        (int, int)[] tasks = [(2, 4), (4, 4), (0, 4)];

        Assert.Equal((0.5 + 1 + 0) / 3, EvalStatistics.PassHatK(tasks, 1), 12);
        Assert.Equal((1.0 / 6 + 1 + 0) / 3, EvalStatistics.PassHatK(tasks, 2), 12);
        Assert.Equal((0 + 1 + 0) / 3.0, EvalStatistics.PassHatK(tasks, 3), 12);
        Assert.Equal(1 / 3.0, EvalStatistics.PassHatK(tasks, 4), 12);
    }
}
