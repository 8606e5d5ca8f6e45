using System.CommandLine;
using System.Text.Json;
using Lucid.Cli.Rendering;
using Lucid.Importing;
using Lucid.Json;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid import openai-chat|tau-bench FILE</c>: turns external transcripts into sessions in the local store.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Import external transcripts as ordinary Lucid sessions (idempotent: a record imported before is skipped).");
        command.Subcommands.Add(Format(context, ImportFormats.OpenAIChat, "OpenAI chat-format message lists, as JSON or JSONL (tool calls become agent.tool_use / agent.tool_result)."));
        command.Subcommands.Add(Format(context, ImportFormats.TauBench, "τ-bench trajectories: the task instruction as the first user message, the policy as the system prompt, the reward as an outcome verdict."));
        return command;
    }

    private static Command Format(CliContext context, string format, string description)
    {
        var file = new Argument<FileInfo>("file") { Description = "The transcript file (JSON or JSONL)." };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace the sessions go into.", DefaultValueFactory = _ => Workspaces.Default };
        var model = new Option<string>("--model") { Description = "The model string recorded on the imported agent (the model that produced the transcripts).", DefaultValueFactory = _ => "imported" };
        var json = new Option<bool>("--json") { Description = "Print the import report as JSON." };
        var command = new Command(format, description) { file, workspace, model, json };
        command.SetAction((parse, ct) => RunAsync(
            context, format, parse.GetRequiredValue(file), parse.GetValue(workspace) ?? Workspaces.Default, parse.GetValue(model) ?? "imported", parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string format, FileInfo file, string workspace, string model, bool json, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            context.Console.MarkupLine($"[red]error:[/] no file '{Markup.Escape(file.FullName)}'.");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        using var importer = new TranscriptImporter(store, new Events.EventHub(store), new ImportOptions { Model = model, WorkDirectoriesRoot = context.Home.WorkDirectoriesRoot });
        await using var source = file.OpenRead();
        var report = await importer.ImportAsync(workspace, format, file.Name, source, cancellationToken);
        if (!report.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(report.Error.Message)}");
            return 2;
        }

        if (json)
        {
            await context.Console.Profile.Out.Writer.WriteLineAsync(JsonSerializer.Serialize(report.Value, LucidJsonContext.Default.ImportReport));
        }
        else
        {
            ImportRenderer.Render(context.Console, report.Value);
        }

        return report.Value.Malformed.Count > 0 ? 1 : 0;
    }
}
