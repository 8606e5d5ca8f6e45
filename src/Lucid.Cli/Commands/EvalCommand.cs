using System.CommandLine;
using System.Text.Json;
using Lucid.Cli.Rendering;
using Lucid.Evals;
using Lucid.Json;
using Lucid.Memory;
using Lucid.Providers;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid eval SUITE</c>: runs a suite here — every task, K trials per arm, each an ordinary session tagged with the
/// run — with a progress bar, then prints the report as a table (or JSON) and can draw its pass rates as a PNG chart.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var suite = new Argument<string>("suite") { Description = "The suite file: YAML (.yaml, .yml) or JSON (.json)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var chart = new Option<string?>("--chart") { Description = "Write a PNG chart of each arm's pass rate with its 95% interval to this path." };
        var workspace = DreamCommand.WorkspaceOption("The workspace the sessions run in.");
        var split = TaskSplit.OfSuite();
        var command = new Command("eval", "Measure whether memory helps: run a suite's tasks in each arm and compare pass rates.") { suite, json, chart, workspace };
        foreach (var option in split.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => RunAsync(
            context, parse.GetValue(suite)!, split.Read(parse), parse.GetValue(json), parse.GetValue(chart), parse.GetValue(workspace) ?? Workspaces.Default, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, TaskSplit.Selection split, bool json, string? chart, string workspace, CancellationToken cancellationToken)
    {
        var file = EvalSuiteFile.Read(path);
        var suite = file.IsSuccess ? EvalSuiteReader.Read(file.Value) : file.Error;
        if (!suite.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(suite.Error.Field is { } field and not "suite" ? $"{field}: " : "")}{Markup.Escape(suite.Error.Message)}");
            return 2;
        }

        var kept = suite.Value.Tasks.Where(t => split.Keeps(t.Id)).ToList();
        if (kept.Count == 0)
        {
            context.Console.MarkupLine("[red]error:[/] --tasks and --exclude-tasks leave no task of the suite to run.");
            return 2;
        }

        var selected = suite.Value with { Tasks = kept };

        var providers = LocalServices.Providers(context);
        if (!providers.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(providers.Error.Message)}");
            return 2;
        }

        using var models = new ModelResolver(providers.Value);
        await using var services = await LocalServices.OpenAsync(context, models, null, cancellationToken);
        var created = await new EvalService(services.Store, services.Engine.Memory).CreateAsync(workspace, selected, MemoryActor.User(context.LocalUser), cancellationToken);
        if (!created.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(created.Error.Message)}");
            return 1;
        }

        await using var runner = new EvalRunner(services.Store, services.Engine);
        var run = await context.Console.Progress().StartAsync(async progress =>
        {
            var bar = progress.AddTask($"eval {created.Value.Id}", maxValue: created.Value.TotalTrials);
            return await runner.RunAsync(created.Value.Id, new Bar(bar), cancellationToken);
        });
        if (run.Report is not { } report)
        {
            context.Console.MarkupLine($"[red]failed:[/] {Markup.Escape(run.Error ?? "the run ended without a report")}");
            return 1;
        }

        if (json)
        {
            await context.Console.Profile.Out.Writer.WriteLineAsync(JsonSerializer.Serialize(report, LucidJsonContext.Default.EvalReport));
        }
        else
        {
            EvalRenderer.Render(context.Console, run);
            context.Console.MarkupLine($"Each trial is a session with {EvalMetadata.RunId}={run.Id}, {EvalMetadata.Arm}, {EvalMetadata.TaskId} and {EvalMetadata.Trial} in its metadata.");
        }

        if (chart is not null)
        {
            EvalChart.Save(report, chart);
            if (!json)
            {
                context.Console.MarkupLine($"Chart written to {Markup.Escape(chart)}");
            }
        }

        return 0;
    }

    // Sets the bar from the trial count, which trials finishing at once report in any order.
    private sealed class Bar(ProgressTask task) : IProgress<EvalProgress>
    {
        private readonly Lock _lock = new();

        public void Report(EvalProgress value)
        {
            lock (_lock)
            {
                task.Value = Math.Max(task.Value, value.Done);
            }
        }
    }
}
