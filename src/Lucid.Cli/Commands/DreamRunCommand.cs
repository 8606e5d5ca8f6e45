using System.CommandLine;
using System.Globalization;
using Lucid.Dreams;
using Lucid.Memory;
using Lucid.Storage;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid dream --store S --sessions …</c>, <c>lucid dream show ID</c> and <c>lucid dream cancel ID</c>.</summary>
internal static partial class DreamCommand
{
    private const string DefaultModel = "anthropic/claude-sonnet-4-5";

    private static void AddRun(CliContext context, Command dream)
    {
        var store = new Option<string?>("--store") { Description = "The memory store to read (memstore_…)." };
        var sessions = new Option<string[]>("--sessions") { Description = "The sessions to read (sesn_…), space-separated or repeated; 1 to 100.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Read every session created since then (7d, 12h, 30m or a date); with --sessions, keeps only those. The newest 100 at most." };
        var instructions = new Option<string?>("--instructions") { Description = "Guidance for the dream, 1 to 4,096 characters." };
        var model = new Option<string>("--model", "-m") { Description = "The model that runs the dream.", DefaultValueFactory = _ => DefaultModel };
        var update = new Option<bool>("--update-existing") { Description = "Write into the input store instead of a new copy of it." };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace.", DefaultValueFactory = _ => Workspaces.Default };
        foreach (var option in new Option[] { store, sessions, since, instructions, model, update, workspace })
        {
            dream.Options.Add(option);
        }

        dream.SetAction((parse, ct) => RunAsync(
            context, parse.GetValue(store), parse.GetValue(sessions) ?? [], parse.GetValue(since), parse.GetValue(instructions),
            parse.GetValue(model) ?? DefaultModel, parse.GetValue(update), parse.GetValue(workspace) ?? Workspaces.Default, ct));
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The dream (drm_…)." };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace.", DefaultValueFactory = _ => Workspaces.Default };
        var show = new Command("show", "Print a dream's status, its report, and the diff between its input and output stores.") { id, workspace };
        show.SetAction((parse, ct) => ShowAsync(context, parse.GetValue(id) ?? "", parse.GetValue(workspace) ?? Workspaces.Default, ct));
        return show;
    }

    private static Command Cancel(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The dream (drm_…)." };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace.", DefaultValueFactory = _ => Workspaces.Default };
        var cancel = new Command("cancel", "Cancel a pending or running dream (one left running by a stopped process too), releasing the store it held.") { id, workspace };
        cancel.SetAction((parse, ct) => CancelAsync(context, parse.GetValue(id) ?? "", parse.GetValue(workspace) ?? Workspaces.Default, ct));
        return cancel;
    }

    private static async Task<int> CancelAsync(CliContext context, string id, string workspace, CancellationToken cancellationToken)
    {
        var models = LocalServices.Models(context);
        if (!models.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(models.Error.Message)}");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var canceled = await new DreamService(store, new MemoryService(store), models.Value).CancelAsync(workspace, id, cancellationToken);
        if (!canceled.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(canceled.Error.Message)}");
            return 1;
        }

        context.Console.MarkupLine($"dream {canceled.Value.Id}: {canceled.Value.Status.ToWire()}");
        return 0;
    }

    private static async Task<int> RunAsync(
        CliContext context, string? storeId, string[] ids, string? since, string? instructions, string model, bool updateExisting, string workspace, CancellationToken cancellationToken)
    {
        if (storeId is null)
        {
            context.Console.MarkupLine("[red]error:[/] name the memory store to read with --store (memstore_…).");
            return 2;
        }

        var models = LocalServices.Models(context);
        if (!models.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(models.Error.Message)}");
            return 2;
        }

        await using var services = await LocalServices.OpenAsync(context, models.Value, cancellationToken);
        IReadOnlyList<string> selected = ids;
        if (since is not null)
        {
            if (SinceOption(context, since) is not { } from)
            {
                return 2;
            }

            selected = await SelectSinceAsync(new SessionMining(services.Store), workspace, ids, from, cancellationToken);
            if (selected.Count > DreamService.MaxSessions)
            {
                context.Console.MarkupLine($"[yellow]{selected.Count} sessions since then; reading the newest {DreamService.MaxSessions}.[/]");
                selected = [.. selected.TakeLast(DreamService.MaxSessions)];
            }
        }

        var dreams = new DreamService(services.Store, services.Host.Memory, models.Value);
        var created = await dreams.CreateAsync(workspace, new DreamRequest
        {
            MemoryStoreId = storeId,
            SessionIds = selected,
            Model = model,
            Instructions = instructions,
            OutputBehavior = updateExisting ? DreamOutputBehavior.UpdateExisting : DreamOutputBehavior.CreateNew,
            UpdateStoreId = updateExisting ? storeId : null,
        }, cancellationToken);
        if (!created.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(created.Error.Message)}");
            return 1;
        }

        context.Console.MarkupLine($"[bold]dream[/] {created.Value.Id}: {selected.Count} sessions, store {Markup.Escape(storeId)}, model {Markup.Escape(model)}");
        var pipeline = new DreamPipeline(services.Store, services.Host.Memory, services.Host.Events, models.Value, new DreamOptions { CancelWhenStopped = true }, context.Home.WorkspacesRoot);
        var dream = await pipeline.RunAsync(created.Value.Id, new ConsoleProgress(context.Console), cancellationToken);
        var usage = string.Create(CultureInfo.InvariantCulture, $"tokens: {dream.Usage.InputTokens} in, {dream.Usage.OutputTokens} out");
        if (dream.Status == DreamStatus.Completed)
        {
            context.Console.MarkupLine($"[green]completed[/]: output store {dream.OutputStoreId}, session {dream.SessionId}; {usage}");
            context.Console.MarkupLine($"See what changed: lucid dream show {dream.Id}");
            return 0;
        }

        context.Console.MarkupLine($"[red]{dream.Status.ToWire()}[/]{(dream.Error is { } e ? $" ({Markup.Escape(e.Type)}): {Markup.Escape(e.Message)}" : "")}; {usage}");
        return 1;
    }

    private static async Task<int> ShowAsync(CliContext context, string id, string workspace, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var memory = new MemoryService(store);
        var dream = await store.GetDreamAsync(id, cancellationToken);
        if (dream is null || dream.WorkspaceId != workspace)
        {
            context.Console.MarkupLine($"[red]error:[/] Dream '{Markup.Escape(id)}' was not found.");
            return 1;
        }

        var output = context.Console.Profile.Out.Writer;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"dream {dream.Id}: {dream.Status.ToWire()}{(dream.Error is { } e ? $" ({e.Type}: {e.Message})" : "")}; input {dream.InputStoreId}, output {dream.OutputStoreId ?? "none yet"}, session {dream.SessionId ?? "none yet"}; tokens {dream.Usage.InputTokens} in, {dream.Usage.OutputTokens} out"));
        if (dream.OutputStoreId is not { } outputId)
        {
            return 0;
        }

        var report = await memory.FindMemoryAsync(workspace, outputId, $"/dreams/{dream.Id}.md", cancellationToken);
        await output.WriteLineAsync();
        await output.WriteLineAsync(report.IsSuccess ? report.Value.Content : "(no report yet)");
        await output.WriteLineAsync("## Diff between the input and output stores");
        await output.WriteLineAsync();
        foreach (var line in await DiffAsync(store, memory, dream, cancellationToken))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    // create_new: the output store against the input store, path by path. update_existing: the versions the dream wrote.
    private static async Task<List<string>> DiffAsync(ILucidStore store, MemoryService memory, Dream dream, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (dream.OutputBehavior != DreamOutputBehavior.CreateNew)
        {
            var versions = new List<MemoryVersion>();
            string? cursor = null;
            do
            {
                var page = await store.ListMemoryVersionsAsync(dream.OutputStoreId!, new MemoryVersionQuery { ActorKind = MemoryActorKind.Dream }, new PageRequest(100, cursor), cancellationToken);
                versions.AddRange(page.Items.Where(v => v.CreatedBy.DreamId == dream.Id));
                cursor = page.NextPage;
            }
            while (cursor is not null);

            foreach (var version in versions.OrderBy(v => v.CreatedAt))
            {
                lines.Add($"{(version.Operation == MemoryOperation.Created ? "+" : version.Operation == MemoryOperation.Deleted ? "-" : "~")} {version.Path} ({version.Id})");
            }

            return lines;
        }

        var before = await ContentsAsync(memory, dream.WorkspaceId, dream.InputStoreId, cancellationToken);
        var after = await ContentsAsync(memory, dream.WorkspaceId, dream.OutputStoreId!, cancellationToken);
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.TryGetValue(path, out var old);
            var has = after.TryGetValue(path, out var now);
            if (had && has && old == now)
            {
                continue;
            }

            lines.Add($"{(!had ? "+" : !has ? "-" : "~")} {path}");
            foreach (var text in (had ? old! : "").Split('\n').Except((has ? now! : "").Split('\n')).Where(l => l.Length > 0))
            {
                lines.Add($"    - {text}");
            }

            foreach (var text in (has ? now! : "").Split('\n').Except((had ? old! : "").Split('\n')).Where(l => l.Length > 0))
            {
                lines.Add($"    + {text}");
            }
        }

        return lines;
    }

    private static async Task<Dictionary<string, string>> ContentsAsync(MemoryService memory, string workspace, string storeId, CancellationToken cancellationToken)
    {
        var all = await memory.ReadAllAsync(workspace, storeId, "/", includeContent: true, cancellationToken);
        return all.IsSuccess
            ? all.Value.Where(m => !m.Path.StartsWith("/dreams/", StringComparison.Ordinal)).ToDictionary(m => m.Path, m => m.Content ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private sealed class ConsoleProgress(IAnsiConsole console) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) =>
            console.MarkupLine($"[blue]{value.Stage.ToWire(),-8}[/] {Markup.Escape(value.Message)}");
    }
}
