using System.CommandLine;
using System.Globalization;
using Lucid.Dreams;
using Lucid.Dreams.Validation;
using Lucid.Evals;
using Lucid.Providers;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid dream --store S --sessions …</c>: creates a dream and runs it here, printing each stage.</summary>
internal static class DreamRunCommand
{
    private const string DefaultModel = "anthropic/claude-sonnet-4-5";

    /// <summary>Adds the run's options and action to the <c>dream</c> command itself.</summary>
    public static void AddTo(CliContext context, Command dream)
    {
        var store = new Option<string?>("--store") { Description = "The memory store to read (memstore_…)." };
        var sessions = new Option<string[]>("--sessions") { Description = "The sessions to read (sesn_…), space-separated or repeated; 1 to 100.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Read every session created since then (7d, 12h, 30m or a date); with --sessions, keeps only those. The newest 100 at most." };
        var instructions = new Option<string?>("--instructions") { Description = "Guidance for the dream, 1 to 4,096 characters." };
        var model = new Option<string>("--model", "-m") { Description = "The model that runs the dream.", DefaultValueFactory = _ => DefaultModel };
        var update = new Option<bool>("--update-existing") { Description = "Write into the input store instead of a new copy of it." };
        var review = new Option<bool>("--review") { Description = "Stop after curation with the changes proposed; write only those accepted with `lucid dream accept|reject|finish`." };
        var workspace = DreamCommand.WorkspaceOption("The workspace.");
        var split = TaskSplit.OfSessions();
        var validate = DreamValidateOptions.Create();
        foreach (var option in new Option[] { store, sessions, since, instructions, model, update, review, workspace }.Concat(split.Options).Concat(validate.Options))
        {
            dream.Options.Add(option);
        }

        dream.SetAction((parse, ct) => validate.Read(context, parse, out var validation)
            ? RunAsync(
                context, parse.GetValue(store), parse.GetValue(sessions) ?? [], parse.GetValue(since), split.Read(parse), parse.GetValue(instructions),
                parse.GetValue(model) ?? DefaultModel, parse.GetValue(update), parse.GetValue(review), validation, parse.GetValue(workspace) ?? Workspaces.Default, ct)
            : Task.FromResult(2));
    }

    private static async Task<int> RunAsync(
        CliContext context, string? storeId, string[] ids, string? since, TaskSplit.Selection split, string? instructions, string model, bool updateExisting, bool review, DreamValidation? validation, string workspace, CancellationToken cancellationToken)
    {
        if (storeId is null)
        {
            context.Console.MarkupLine("[red]error:[/] name the memory store to read with --store (memstore_…).");
            return 2;
        }

        var providers = LocalServices.Providers(context);
        if (!providers.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(providers.Error.Message)}");
            return 2;
        }

        using var models = new ModelResolver(providers.Value);
        await using var services = await LocalServices.OpenAsync(context, models, null, cancellationToken);
        IReadOnlyList<string> selected = ids;
        var mining = new SessionMining(services.Store);
        DateTimeOffset? from = since is null ? null : DreamSince.Read(context, since);
        if (since is not null && from is null)
        {
            return 2;
        }

        // A split with no other selection reads every session of the workspace, then keeps those of its tasks.
        if (from is null && ids.Length == 0 && split.Any)
        {
            from = DateTimeOffset.MinValue;
        }

        if (from is { } start)
        {
            selected = await DreamSince.SelectAsync(mining, workspace, ids, start, cancellationToken);
        }

        selected = await split.ApplyAsync(mining, workspace, selected, cancellationToken);
        if (from is not null && selected.Count > DreamService.MaxSessions)
        {
            context.Console.MarkupLine($"[yellow]{selected.Count} sessions selected; reading the newest {DreamService.MaxSessions}.[/]");
            selected = [.. selected.TakeLast(DreamService.MaxSessions)];
        }

        if (split.Any && selected.Count == 0)
        {
            context.Console.MarkupLine("[red]error:[/] no session of the workspace matches the tasks asked for (sessions name theirs in the task_id metadata key).");
            return 1;
        }

        var dreams = new DreamService(services.Store, services.Engine.Memory, models);
        var created = await dreams.CreateAsync(workspace, new DreamRequest
        {
            MemoryStoreId = storeId,
            SessionIds = selected,
            Model = model,
            Instructions = instructions,
            OutputBehavior = updateExisting ? DreamOutputBehavior.UpdateExisting : DreamOutputBehavior.CreateNew,
            UpdateStoreId = updateExisting ? storeId : null,
            ReviewRequired = review,
            Validation = validation,
        }, cancellationToken);
        if (!created.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(created.Error.Message)}");
            return 1;
        }

        context.Console.MarkupLine($"[bold]dream[/] {created.Value.Id}: {selected.Count} sessions, store {Markup.Escape(storeId)}, model {Markup.Escape(model)}");
        if (validation is not null)
        {
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[yellow]validation by replay[/]: {validation.Trials} trials per task per arm, {validation.UnrelatedTasks} unrelated tasks per lesson, min lift {validation.MinLift:0.00}; at most {validation.MaxTrials} trial sessions, each a model call like any session (the plan and its estimated cost are shown before any runs)"));
        }

        await using var evals = new EvalRunner(services.Store, services.Engine);
        var pipeline = new DreamPipeline(services.Store, services.Engine.Memory, services.Engine.Events, models,
            new DreamOptions { CancelWhenStopped = true, KnownSecrets = providers.Value.KnownSecrets(), VaultKey = services.Engine.Options.VaultKey }, context.Home.WorkDirectoriesRoot)
        {
            Replay = new LessonReplay(services.Store, services.Engine.Memory, evals),
        };
        var dream = await pipeline.RunAsync(created.Value.Id, new ConsoleProgress(context.Console), cancellationToken);
        if (dream.Validation is { Lessons.Count: > 0 } measured)
        {
            DreamValidationTable.Write(context.Console, measured);
        }

        var usage = string.Create(CultureInfo.InvariantCulture, $"tokens: {dream.Usage.InputTokens} in, {dream.Usage.OutputTokens} out");
        if (dream.Status == DreamStatus.Completed)
        {
            context.Console.MarkupLine($"[green]{dream.Status.ToWire()}[/]: output store {dream.OutputStoreId}, session {dream.SessionId}; {usage}");
            context.Console.MarkupLine($"See what changed: lucid dream show {dream.Id}");
            return 0;
        }

        if (dream.AwaitsReview)
        {
            context.Console.MarkupLine($"[yellow]waiting for review[/]: {dream.Review!.Changes.Count} proposed changes, nothing written yet; {usage}");
            context.Console.MarkupLine($"Review them: lucid dream changes {dream.Id}, then lucid dream accept|reject {dream.Id} CHANGE_ID and lucid dream finish {dream.Id}");
            return 0;
        }

        context.Console.MarkupLine($"[red]{dream.Status.ToWire()}[/]{(dream.Error is { } e ? $" ({Markup.Escape(e.Type)}): {Markup.Escape(e.Message)}" : "")}; {usage}");
        return 1;
    }

    private sealed class ConsoleProgress(IAnsiConsole console) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) =>
            console.MarkupLine($"[blue]{value.Stage.ToWire(),-8}[/] {Markup.Escape(value.Message)}");
    }
}
