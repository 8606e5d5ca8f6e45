using System.CommandLine;
using Lucid.Sandboxing;
using Lucid.Tools;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// The sandbox options that <c>lucid serve</c> and <c>lucid run</c> share, and the startup check that decides whether
/// commands run sandboxed, are refused, or (with the operator's explicit opt-out) run on the host.
/// </summary>
internal sealed class SandboxSettings
{
    private static readonly SandboxLimits Defaults = new();

    private readonly Option<bool> _unsafe = new("--unsafe-no-sandbox")
    {
        Description = "Run bash and outcome command checks directly on this machine, as this user, with this process's environment (provider keys included): no sandbox at all.",
    };

    private readonly Option<string> _bwrap = new("--sandbox-bwrap") { Description = "The bubblewrap executable. Default: bwrap on PATH.", DefaultValueFactory = _ => "bwrap" };
    private readonly Option<int> _cpu = Positive("--sandbox-cpu-seconds", "CPU seconds each sandboxed process may use", Defaults.CpuSeconds);
    private readonly Option<int> _memory = Positive("--sandbox-memory-mb", "MiB of memory (heap and private mappings) each sandboxed process may allocate", (int)(Defaults.MemoryBytes >> 20));
    private readonly Option<int> _processes = Positive("--sandbox-processes", "processes and threads a sandbox may hold at once", Defaults.Processes);
    private readonly Option<int> _fileSize = Positive("--sandbox-file-size-mb", "MiB of the largest file a sandboxed process may write", (int)(Defaults.FileSizeBytes >> 20));
    private readonly Option<int> _tmp = Positive("--sandbox-tmp-mb", "MiB of the sandbox's private /tmp", (int)(Defaults.TmpBytes >> 20));
    private readonly Option<int> _wall = Positive("--command-timeout-seconds", "seconds a command (bash, an outcome check) may run at most", (int)new ToolLimits().MaxTimeout.TotalSeconds);

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _unsafe, _bwrap, _cpu, _memory, _processes, _fileSize, _tmp, _wall })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The sandbox options as given (sandboxed unless opted out; not yet checked) and the tools' time limits.</summary>
    public (SandboxOptions Sandbox, ToolLimits Tools) Read(ParseResult parse)
    {
        var sandbox = new SandboxOptions
        {
            Isolation = parse.GetValue(_unsafe) ? ProcessIsolation.Unsandboxed : ProcessIsolation.Sandboxed,
            BubblewrapPath = parse.GetValue(_bwrap) ?? "bwrap",
            Limits = new SandboxLimits
            {
                CpuSeconds = parse.GetValue(_cpu),
                MemoryBytes = (long)parse.GetValue(_memory) << 20,
                Processes = parse.GetValue(_processes),
                FileSizeBytes = (long)parse.GetValue(_fileSize) << 20,
                TmpBytes = (long)parse.GetValue(_tmp) << 20,
            },
        };
        var tools = new ToolLimits();
        var most = TimeSpan.FromSeconds(parse.GetValue(_wall));
        return (sandbox, tools with { MaxTimeout = most, DefaultTimeout = most < tools.DefaultTimeout ? most : tools.DefaultTimeout });
    }

    /// <summary>
    /// Checks once that a sandbox can be made here and says which mode is on. When it cannot, commands are refused, or
    /// with <paramref name="fallBackToHost"/> (<c>lucid run</c> on a machine without bubblewrap) run on the host.
    /// </summary>
    public static async Task<SandboxOptions> CheckAsync(SandboxOptions sandbox, bool fallBackToHost, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (sandbox.Isolation == ProcessIsolation.Unsandboxed)
        {
            console.MarkupLine(fallBackToHost
                ? "[yellow]warning:[/] --unsafe-no-sandbox: commands run directly on this machine, as you."
                : "[bold red]WARNING: --unsafe-no-sandbox: bash and outcome command checks run directly on this machine as this user, with this process's environment (provider keys included), its files and its network. Any agent can read and change all of it.[/]");
            return sandbox;
        }

        var failure = await SandboxProbe.FailureAsync(sandbox, cancellationToken);
        if (failure is null)
        {
            if (Environment.IsPrivilegedProcess)
            {
                console.MarkupLine("[yellow]warning:[/] running as root: the kernel does not apply the sandbox's process limit (--sandbox-processes) to root; run Lucid as an ordinary user.");
            }

            return sandbox;
        }

        if (fallBackToHost)
        {
            console.MarkupLine($"[yellow]warning:[/] no sandbox ({Markup.Escape(failure)}): commands run directly on this machine, as you. Install bubblewrap to sandbox them.");
            return sandbox with { Isolation = ProcessIsolation.Unsandboxed };
        }

        console.MarkupLine($"[bold red]No sandbox can be made here ({Markup.Escape(failure)}): bash and outcome command checks are refused.[/] Install bubblewrap, or start with --unsafe-no-sandbox to run them unconfined.");
        return sandbox with { Isolation = ProcessIsolation.Refused, RefusalReason = failure };
    }

    private static Option<int> Positive(string name, string what, int defaultValue)
    {
        var option = new Option<int>(name) { Description = $"The {what}. Default: {defaultValue}.", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"{name} must be 1 or more.");
            }
        });
        return option;
    }
}
