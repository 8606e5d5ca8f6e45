using Lucid.Evals;
using ScottPlot;

namespace Lucid.Cli.Rendering;

/// <summary>Draws an eval report as a PNG: each arm's pass rate as a bar, with its 95% Wilson interval as error bars.</summary>
internal static class EvalChart
{
    public static void Save(EvalReport report, string path, int width = 800, int height = 500)
    {
        var plot = new Plot();
        var bars = report.Arms.Select((arm, i) => new Bar
        {
            Position = i,
            Value = arm.PassRate * 100,
            FillColor = Colors.Category10[i % Colors.Category10.Length],
        }).ToList();
        plot.Add.Bars(bars);
        // The Wilson interval is not symmetric around the rate, so its bars are drawn apart from the pass-rate bars.
        var xs = report.Arms.Select((_, i) => (double)i).ToList();
        var none = report.Arms.Select(_ => 0.0).ToList();
        plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(
            xs,
            [.. report.Arms.Select(a => a.PassRate * 100)],
            none,
            none,
            [.. report.Arms.Select(a => (a.PassRateHigh - a.PassRate) * 100)],
            [.. report.Arms.Select(a => (a.PassRate - a.PassRateLow) * 100)]) { LineWidth = 2, CapSize = 8 });
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. xs], [.. report.Arms.Select(a => a.Arm)]);
        plot.Axes.SetLimitsY(0, 105);
        plot.Axes.SetLimitsX(-0.75, report.Arms.Count - 0.25);
        plot.YLabel("pass rate (%), 95% Wilson interval");
        plot.Title("Pass rate per arm");
        plot.SavePng(path, width, height);
    }
}
