using System.Globalization;

namespace Lucid.Dreams.Stages;

/// <summary>The mine stage (no model): finds the patterns across the digests, with counts.</summary>
internal sealed class MineStage(DreamRun run)
{
    public async Task<MinedDream> RunAsync(DigestedDream digested, CancellationToken cancellationToken)
    {
        var miner = new PatternMiner();
        foreach (var digest in digested.Digests)
        {
            miner.Add(digest);
        }

        var mining = miner.Build();
        var report = (digested.Report with { Mining = mining }).Done(DreamStage.Mine);
        await run.NoteAsync(DreamStage.Mine, string.Create(CultureInfo.InvariantCulture,
            $"Mined {mining.SessionIds.Count} sessions: {mining.PassingSessions} passed, {mining.FailingSessions} failed; {mining.RecurringErrors.Count} recurring errors, {mining.FailureReasons.Count} failure reasons, {mining.Detours.Count} detours.{Top(mining)}"),
            cancellationToken);
        return new MinedDream(report, digested.OutputStoreId, digested.Digests, digested.Evidence, mining);
    }

    private static string Top(MiningReport mining) =>
        mining.RecurringErrors is [var top, ..]
            ? string.Create(CultureInfo.InvariantCulture, $" Top: {top.Tool} \"{top.Signature}\" in {top.Sessions} sessions.")
            : "";
}
