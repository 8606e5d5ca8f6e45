using System.CommandLine;
using System.Text.Json;
using Lucid.Cli.Rendering;
using Lucid.Importing;
using Lucid.Json;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid import openai-chat|tau-bench FILE</c> and <c>lucid import claude-code|codex PATH</c>: turns external
/// transcripts into sessions in the local store. A session-log format also takes a folder, read at any depth.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Import external transcripts as ordinary Lucid sessions (idempotent: a record imported before is skipped).");
        command.Subcommands.Add(Format(context, ImportFormats.OpenAIChat, "OpenAI chat-format message lists, as JSON or JSONL (tool calls become agent.tool_use / agent.tool_result)."));
        command.Subcommands.Add(Format(context, ImportFormats.TauBench, "τ-bench trajectories: the task instruction as the first user message, the policy as the system prompt, the reward as an outcome verdict."));
        command.Subcommands.Add(Format(context, ImportFormats.ClaudeCode, "Claude Code session logs (~/.claude/projects/PROJECT/): a session file or a project folder; subagents become threads."));
        command.Subcommands.Add(Format(context, ImportFormats.Codex, "Codex CLI rollouts (~/.codex/sessions/): a rollout-*.jsonl file or a folder of them."));
        return command;
    }

    private static Command Format(CliContext context, string format, string description)
    {
        var sessionLog = ImportFormats.IsSessionLog(format);
        var path = new Argument<FileSystemInfo>(sessionLog ? "path" : "file")
        {
            Description = sessionLog ? "A session log (JSONL), or a folder whose session logs are read at any depth." : "The transcript file (JSON or JSONL).",
        };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace the sessions go into.", DefaultValueFactory = _ => Workspaces.Default };
        var model = new Option<string>("--model") { Description = "The model string recorded on the imported agent (the model that produced the transcripts).", DefaultValueFactory = _ => "imported" };
        var json = new Option<bool>("--json") { Description = "Print the import report as JSON." };
        var command = new Command(format, description) { path, workspace, model, json };
        command.SetAction((parse, ct) => RunAsync(
            context, format, parse.GetRequiredValue(path), parse.GetValue(workspace) ?? Workspaces.Default, parse.GetValue(model) ?? "imported", parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string format, FileSystemInfo path, string workspace, string model, bool json, CancellationToken cancellationToken)
    {
        // A lone file's positions are its lines; a folder's name the file too.
        IReadOnlyList<(string Name, string FullPath)> files = path switch
        {
            FileInfo { Exists: true } file => [("", file.FullName)],
            DirectoryInfo { Exists: true } directory when ImportFormats.IsSessionLog(format) =>
                [.. SessionLogFiles.Under(format, directory.FullName).Select(f => (f, Path.Combine(directory.FullName, f)))],
            _ => [],
        };
        if (files.Count == 0)
        {
            var problem = path switch
            {
                DirectoryInfo { Exists: true } when ImportFormats.IsSessionLog(format) => $"no {(format == ImportFormats.Codex ? "rollout-*.jsonl" : "*.jsonl")} files under '{path.FullName}'.",
                DirectoryInfo { Exists: true } => $"'{path.FullName}' is a folder; {format} imports a file.",
                _ => $"no file '{path.FullName}'.",
            };
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        using var importer = new TranscriptImporter(store, new Events.EventHub(store), new ImportOptions { Model = model, WorkDirectoriesRoot = context.Home.WorkDirectoriesRoot });
        var sources = files.Select(f => new ImportFile(f.Name, File.OpenRead(f.FullPath))).ToList();
        Results.Result<ImportReport> report;
        try
        {
            report = await importer.ImportAsync(workspace, format, path.Name, sources, cancellationToken);
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.Content.DisposeAsync();
            }
        }

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
