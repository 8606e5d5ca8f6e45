using System.Globalization;
using Lucid.Evals;
using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>Shows an eval run's report: a table of the arms, then each arm against the baseline with the tasks that moved.</summary>
internal static class EvalRenderer
{
    public static void Render(IAnsiConsole console, EvalRun run)
    {
        var report = run.Report ?? throw new InvalidOperationException($"Eval run '{run.Id}' has no report.");
        var arms = new Table().Title($"eval {Markup.Escape(run.Id)}: {run.Suite.Tasks.Count} tasks × {run.Suite.Trials} trials")
            .AddColumns("arm", "memory", "passed", "pass rate (95% CI)", "pass^k", "tokens in/out per trial", "list cost per trial", "memory tokens per trial");
        foreach (var arm in report.Arms)
        {
            arms.AddRow(
                Markup.Escape(arm.Arm),
                Markup.Escape(arm.MemoryStoreId ?? arm.Kind.ToWire()),
                $"{arm.Passed}/{arm.Trials}",
                $"{Percent(arm.PassRate)} ({Percent(arm.PassRateLow)}–{Percent(arm.PassRateHigh)})",
                arm.PassHatK.Count == 0 ? "–" : Invariant($"{arm.PassHatK[^1]:0.00} (k={arm.PassHatK.Count})"),
                Invariant($"{arm.InputTokensPerTrial:N0} / {arm.OutputTokensPerTrial:N0}"),
                arm.ListCostUsdPerTrial is { } cost ? Invariant($"${cost:0.0000}") : "–",
                arm.MemoryInputTokensPerTrial is { } added ? Invariant($"{added:+#,0;-#,0;0}") : "–");
        }

        console.Write(arms);
        foreach (var comparison in report.Comparisons)
        {
            console.MarkupLine(Invariant(
                $"[bold]{Markup.Escape(comparison.Arm)}[/] against [bold]{Markup.Escape(comparison.Baseline)}[/]: {comparison.MeanDifference:+0.00;-0.00;0.00} pass rate per task, {comparison.Improved.Count} better, {comparison.Regressed.Count} worse, {comparison.Unchanged} unchanged; sign test p = {comparison.PValue:0.####}"));
            Flips(console, "better", comparison.Improved);
            Flips(console, "worse", comparison.Regressed);
        }
    }

    private static void Flips(IAnsiConsole console, string label, IReadOnlyList<EvalTaskFlip> flips)
    {
        if (flips.Count > 0)
        {
            console.MarkupLine($"  {label}: {Markup.Escape(string.Join(", ", flips.Select(f => $"{f.TaskId} ({Percent(f.BaselinePassRate)}→{Percent(f.ArmPassRate)})")))}");
        }
    }

    private static string Percent(double rate) => Invariant($"{rate * 100:0}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
