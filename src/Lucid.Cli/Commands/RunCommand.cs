using System.CommandLine;
using Lucid.Agents;
using Lucid.Cli.Rendering;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Providers;
using Lucid.Results;
using Lucid.Sandboxing;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Tools;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid run</c>: runs one task as a new session in the local store and renders it as it happens.</summary>
internal static class RunCommand
{
    /// <summary>The model used when <c>--model</c> is not given.</summary>
    public const string DefaultModel = "anthropic/claude-sonnet-4-5";

    /// <summary>The name of the agent <c>lucid run</c> creates and versions.</summary>
    public const string AgentName = "lucid-run";

    private static readonly string[] ReadOnlyTools = ["read", "glob", "grep"];

    public static Command Create(CliContext context)
    {
        var task = new Argument<string>("task") { Description = "What the agent should do." };
        var model = new Option<string>("--model", "-m") { Description = "The model: anthropic/<model>, openai/<model>, ollama/<model> or claude-*.", DefaultValueFactory = _ => DefaultModel };
        var system = new Option<string?>("--system", "-s") { Description = "The agent's system prompt." };
        var directory = new Option<string?>("--directory", "-d") { Description = "The directory the tools work in. Default: a new directory under $LUCID_HOME/workspaces." };
        var allow = new Option<string[]>("--allow-tools")
        {
            Description = "Tools that run without asking: comma-separated or repeated, 'all' for every tool. read, glob and grep are always allowed; others ask, and are denied when no one can answer.",
        };

        var outcome = new Option<FileInfo?>("--outcome") { Description = "A rubric file (markdown): the task becomes an outcome that a grader checks against it, with revisions until it passes." };
        var maxIterations = new Option<int>("--max-iterations") { Description = "With --outcome: evaluate-and-revise cycles before giving up (1-20).", DefaultValueFactory = _ => UserDefineOutcomeEvent.DefaultMaxIterations };
        var checkCommands = new Option<string[]>("--check-command") { Description = "With --outcome: a command that must exit 0 in the session's directory for the outcome to pass (repeatable)." };
        var checkFiles = new Option<string[]>("--check-file") { Description = "With --outcome: a file that must exist in the session's directory (repeatable)." };
        var graderModel = new Option<string?>("--grader-model") { Description = "With --outcome: the grader's model (default: the agent's)." };

        var command = new Command("run", "Run a task as a new agent session and show what happens.") { task, model, system, directory, allow, outcome, maxIterations, checkCommands, checkFiles, graderModel };
        var sandbox = new SandboxSettings();
        sandbox.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = await InputAsync(parse.GetRequiredValue(task), parse.GetValue(outcome), parse.GetValue(maxIterations), parse.GetValue(checkCommands) ?? [], parse.GetValue(checkFiles) ?? [], parse.GetValue(graderModel), cancellationToken);
            if (!input.IsSuccess)
            {
                context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(input.Error.Message)}");
                return 2;
            }

            return await RunAsync(
                context,
                parse.GetRequiredValue(task),
                input.Value,
                parse.GetValue(model) ?? DefaultModel,
                parse.GetValue(system),
                parse.GetValue(directory),
                parse.GetValue(allow) ?? [],
                sandbox.Read(parse),
                cancellationToken);
        });
        return command;
    }

    // The task as a plain message, or as an outcome graded against a rubric file.
    private static async Task<Result<SessionEvent>> InputAsync(
        string task, FileInfo? rubric, int maxIterations, string[] checkCommands, string[] checkFiles, string? graderModel, CancellationToken cancellationToken)
    {
        if (rubric is null)
        {
            return checkCommands.Length + checkFiles.Length > 0 || graderModel is not null
                ? LucidError.Invalid("outcome", "--check-command, --check-file and --grader-model need --outcome RUBRIC.md.")
                : new UserMessageEvent { Content = [new TextBlock(task)] };
        }

        if (!rubric.Exists)
        {
            return LucidError.Invalid("outcome", $"The rubric file {rubric.FullName} does not exist.");
        }

        if (maxIterations is < 1 or > UserDefineOutcomeEvent.MostIterations)
        {
            return LucidError.Invalid("max-iterations", $"--max-iterations must be 1 to {UserDefineOutcomeEvent.MostIterations}.");
        }

        OutcomeCheck[] checks = [.. checkCommands.Select(c => (OutcomeCheck)new CommandCheck(c)), .. checkFiles.Select(f => new FileExistsCheck(f))];
        return new UserDefineOutcomeEvent
        {
            Description = task,
            Rubric = OutcomeRubric.Text(await File.ReadAllTextAsync(rubric.FullName, cancellationToken)),
            MaxIterations = maxIterations,
            Checks = checks.Length > 0 ? checks : null,
            GraderModel = graderModel,
        };
    }

    private static async Task<int> RunAsync(
        CliContext context, string task, SessionEvent input, string model, string? system, string? directory, string[] allowTools,
        (SandboxOptions Sandbox, ToolLimits Tools) limits, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var setup = LocalServices.ModelSetup(context);
        if (!setup.IsSuccess)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(setup.Error.Message)}");
            return 2;
        }

        using var local = setup.Value;

        using var models = new ModelResolver(local.Providers);
        var client = models.Resolve(model);
        if (!client.IsSuccess)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(client.Error.Message)}");
            return 2;
        }

        var allowed = ParseAllowed(allowTools);
        if (allowed.Unknown.Count > 0)
        {
            console.MarkupLine($"[red]error:[/] unknown tool(s) in --allow-tools: {Markup.Escape(string.Join(", ", allowed.Unknown))}; known: {string.Join(", ", BuiltInTools.Names)}, all.");
            return 2;
        }

        // Without bubblewrap, a local run falls back to the host with a warning; lucid serve refuses instead.
        var sandbox = await SandboxSettings.CheckAsync(limits.Sandbox, fallBackToHost: true, console, cancellationToken);
        var options = new SessionEngineOptions { Sandbox = sandbox, ToolLimits = limits.Tools, Catalog = local.Catalog };
        await using var services = await LocalServices.OpenAsync(context, models, options, cancellationToken);
        var toolset = new AgentToolset
        {
            DefaultConfig = new ToolsetDefaultConfig { PermissionPolicy = PermissionPolicy.AlwaysAsk },
            Configs = [.. allowed.Names.Select(n => new ToolConfig { Name = n, PermissionPolicy = PermissionPolicy.AlwaysAllow })],
        };
        var definition = new AgentDefinition { Name = AgentName, Model = model, System = system, Tools = [toolset] };
        var agent = await FindOrCreateAgentAsync(services, definition, cancellationToken);
        var environment = await FindOrCreateEnvironmentAsync(services, cancellationToken);
        var created = await services.Engine.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition
            {
                AgentId = agent.Id,
                EnvironmentId = environment.Id,
                WorkDirectory = directory is null ? null : Path.GetFullPath(directory),
                Title = task.Length <= 80 ? task : task[..80] + "…",
            },
            cancellationToken);
        if (!created.IsSuccess)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(created.Error.Message)}");
            return 2;
        }

        var session = created.Value;
        console.MarkupLine($"[grey]session {session.Id} · {Markup.Escape(model)} · directory {Markup.Escape(session.WorkDirectory)}[/]");
        var sent = await services.Engine.Sessions.SendAsync(Workspaces.Default, session.Id, [input], cancellationToken);
        if (!sent.IsSuccess)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(sent.Error.Message)}");
            return 2;
        }

        var failed = await FollowAsync(context, services, session.Id, cancellationToken);
        var final = await services.Store.GetSessionAsync(session.Id, cancellationToken);
        console.MarkupLine($"[grey]tokens: {EventRenderer.Tokens(final?.Usage ?? SessionUsage.Zero)} · lucid sessions show {session.Id}[/]");
        return failed ? 1 : 0;
    }

    // Renders the session until it ends its turn; answers tool confirmations on the way. Returns whether the turn failed.
    private static async Task<bool> FollowAsync(CliContext context, LocalServices services, string sessionId, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var renderer = new EventRenderer(console, showStatus: false);
        var failed = false;
        // The agent's messages are written as the model streams them.
        await using var events = services.Engine.Events
            .FollowWithPreviewsAsync(LogId.Of(sessionId), 0, new HashSet<string>(StringComparer.Ordinal) { "agent.message" }, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var thinking = false;
        while (true)
        {
            var next = events.MoveNextAsync();
            bool more;
            if (thinking && context.Interactive)
            {
                more = await console.Status().Spinner(Spinner.Known.Dots).StartAsync("thinking…", _ => next.AsTask());
            }
            else
            {
                more = await next;
            }

            if (!more)
            {
                return true;
            }

            if (events.Current.Preview is { } preview)
            {
                renderer.Render(preview);
                thinking = false;
                continue;
            }

            if (events.Current.Committed is not { } logged)
            {
                continue;
            }

            renderer.Render(logged);
            thinking = logged.Event is SpanModelRequestStartEvent or SpanOutcomeEvaluationStartEvent or SpanOutcomeEvaluationOngoingEvent;
            switch (logged.Event)
            {
                case SessionErrorEvent:
                    failed = true;
                    break;
                case SpanOutcomeEvaluationEndEvent end when end.Result.IsTerminal():
                    failed |= end.Result != OutcomeResult.Satisfied;
                    break;
                case SessionStatusIdleEvent { StopReason.Type: "requires_action" } idle:
                    var answers = await AnswerAsync(context, services, sessionId, idle.StopReason.EventIds ?? [], cancellationToken);
                    var sent = await services.Engine.Sessions.SendAsync(Workspaces.Default, sessionId, answers, cancellationToken);
                    if (!sent.IsSuccess)
                    {
                        console.MarkupLine($"[red]error:[/] {Markup.Escape(sent.Error.Message)}");
                        return true;
                    }

                    break;
                case SessionStatusIdleEvent:
                    return failed;
            }
        }
    }

    private static async Task<List<SessionEvent>> AnswerAsync(
        CliContext context, LocalServices services, string sessionId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        var log = await services.Store.ReadAsync(sessionId, 0, int.MaxValue, cancellationToken);
        var answers = new List<SessionEvent>();
        foreach (var id in eventIds)
        {
            var use = log.Select(e => e.Event).OfType<AgentToolUseEvent>().FirstOrDefault(e => e.Id == id);
            if (use is null)
            {
                answers.Add(new UserInterruptEvent());
                break;
            }

            var allow = context.Interactive && await context.Console.ConfirmAsync($"Allow [yellow]{Markup.Escape(use.Name)}[/]?", defaultValue: false, cancellationToken);
            answers.Add(allow
                ? new UserToolConfirmationEvent { ToolUseId = id, Result = ToolConfirmationResult.Allow }
                : new UserToolConfirmationEvent
                {
                    ToolUseId = id,
                    Result = ToolConfirmationResult.Deny,
                    DenyMessage = context.Interactive ? "The user declined." : $"'{use.Name}' is not allowed in this run; the user can allow it with --allow-tools {use.Name}.",
                });
        }

        return answers;
    }

    private static (List<string> Names, List<string> Unknown) ParseAllowed(string[] values)
    {
        var names = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var known = BuiltInTools.Names.ToHashSet(StringComparer.Ordinal);
        if (names.Contains("all"))
        {
            return ([.. known], []);
        }

        return ([.. names.Where(known.Contains).Union(ReadOnlyTools)], [.. names.Where(n => !known.Contains(n))]);
    }

    private static async Task<Agent> FindOrCreateAgentAsync(LocalServices services, AgentDefinition definition, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(page => services.Store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), page, cancellationToken), a => a.Name == AgentName);
        var result = existing is null
            ? await services.Agents.CreateAsync(Workspaces.Default, definition, cancellationToken)
            : await services.Agents.UpdateAsync(Workspaces.Default, existing.Id, null, definition, cancellationToken);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.Message);
    }

    private static async Task<Environments.AgentEnvironment> FindOrCreateEnvironmentAsync(LocalServices services, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(page => services.Store.ListEnvironmentsAsync(Workspaces.Default, false, page, cancellationToken), e => e.Name == "local");
        if (existing is not null)
        {
            return existing;
        }

        var result = await services.Environments.CreateAsync(Workspaces.Default, "local", "Local work directories.", null, null, cancellationToken);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.Message);
    }

    private static async Task<T?> FindAsync<T>(Func<PageRequest, Task<Page<T>>> list, Func<T, bool> match)
        where T : class
    {
        string? cursor = null;
        do
        {
            var page = await list(new PageRequest(100, cursor));
            if (page.Items.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);
        return null;
    }
}
