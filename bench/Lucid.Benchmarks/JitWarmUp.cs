namespace Lucid.Benchmarks;

/// <summary>
/// How the API benchmarks warm their servers up before measuring. The runtime keeps recompiling hot methods in the
/// background for the first thousands of requests (tiered compilation with dynamic PGO); figures taken before that
/// settles measure the JIT, not Lucid, and a cluster pays it once per node. Rounds on the instant model go fastest. The
/// runtime holds back promotions to tier 1 while new methods are still being compiled at tier 0 (every new tier-0 method
/// restarts a 100 ms delay), so under back-to-back rounds the backlog only grows; a pause after each round lets the
/// background compiler drain it, as the idle moments of a real server do. The warm-up ends after two rounds in a row in
/// which the background compiler used under 5% of the servers' CPU (pause included), and not before the fourth: the
/// first rounds compile at tier 0 on the request threads, so the background one is idle.
/// </summary>
internal static class JitWarmUp
{
    /// <summary>The pause after each warm-up round, in which the background compiler catches up.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    private const double QuietShare = 0.05;
    private const int MinimumRounds = 4;
    private const int QuietRoundsNeeded = 2;

    /// <summary>One warm-up round as measured: the servers' CPU time in it and their background compiler's (round and pause), if known.</summary>
    public readonly record struct RoundCpu(TimeSpan ServerCpu, TimeSpan? BackgroundJit);

    /// <summary>
    /// Runs <paramref name="round"/> (which runs one round, pauses <see cref="Pause"/> and prints its line) until the
    /// background compiler is quiet, or <paramref name="maxRounds"/> rounds; says so when it stopped at the limit.
    /// </summary>
    public static async Task RunAsync(int maxRounds, Func<int, CancellationToken, Task<RoundCpu>> round, CancellationToken cancellationToken)
    {
        var quietRounds = 0;
        for (var number = 1; number <= maxRounds; number++)
        {
            var measured = await round(number, cancellationToken);
            quietRounds = measured.BackgroundJit is { } jit && jit < QuietShare * measured.ServerCpu ? quietRounds + 1 : 0;
            if (number >= MinimumRounds && quietRounds >= QuietRoundsNeeded)
            {
                return;
            }
        }

        Console.WriteLine("warm-up: stopped after its last round; the figures below may still include background JIT (see its column).");
    }
}
