using System.Text.RegularExpressions;
using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Outcomes;

/// <summary>Runs an outcome's deterministic checks in the session's work directory; commands run in its sandbox.</summary>
internal static class OutcomeChecks
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(IReadOnlyList<OutcomeCheck> checks, ToolContext context, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>(checks.Count);
        foreach (var check in checks)
        {
            results.Add(check switch
            {
                CommandCheck command => await RunCommandAsync(command, context, cancellationToken),
                FileExistsCheck file => FileExists(file, context),
                PatternCheck pattern => await MatchAsync(pattern, context, cancellationToken),
                _ => new CheckResult(check.Description, false, $"Unknown check {check.GetType().Name}."),
            });
        }

        return results;
    }

    private static async Task<CheckResult> RunCommandAsync(CommandCheck check, ToolContext context, CancellationToken cancellationToken)
    {
        // The same sandbox and limits as the agent's bash; refused where bash is.
        var prepared = SandboxedCommand.Prepare(context.Sandbox, context.Directory.Root, check.Command, "A command check", context.SandboxLog);
        if (!prepared.IsSuccess)
        {
            return new CheckResult(check.Description, false, prepared.Error.Message);
        }

        await using var start = prepared.Value;

        var timeout = check.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, 1, (long)context.Limits.MaxTimeout.TotalMilliseconds)) : context.Limits.DefaultTimeout;
        ShellResult run;
        try
        {
            run = await ShellCommand.RunAsync(start.Start, timeout, context.Limits.MaxOutputChars / 4, context.TimeProvider, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return new CheckResult(check.Description, false, ex.Message);
        }

        return run.TimedOut
            ? new CheckResult(check.Description, false, $"{run.Output}[killed after {timeout.TotalMilliseconds:0} ms]")
            : new CheckResult(check.Description, run.ExitCode == 0, $"{run.Output}[exit code: {run.ExitCode}]");
    }

    private static CheckResult FileExists(FileExistsCheck check, ToolContext context)
    {
        var path = context.Directory.Resolve(check.Path);
        return !path.IsSuccess
            ? new CheckResult(check.Description, false, path.Error.Message)
            : new CheckResult(check.Description, File.Exists(path.Value), File.Exists(path.Value) ? "" : "The file does not exist.");
    }

    private static async Task<CheckResult> MatchAsync(PatternCheck check, ToolContext context, CancellationToken cancellationToken)
    {
        var path = context.Directory.Resolve(check.Path);
        if (!path.IsSuccess || !File.Exists(path.Value))
        {
            return new CheckResult(check.Description, false, path.IsSuccess ? "The file does not exist." : path.Error.Message);
        }

        try
        {
            var match = Regex.Match(await File.ReadAllTextAsync(path.Value, cancellationToken), check.Pattern, RegexOptions.Multiline, TimeSpan.FromSeconds(2));
            var passed = match.Success == check.MustMatch;
            return new CheckResult(check.Description, passed, match.Success ? $"Matched: {match.Value}" : "No match.");
        }
        catch (Exception ex) when (ex is ArgumentException or RegexMatchTimeoutException)
        {
            return new CheckResult(check.Description, false, $"The pattern could not be applied: {ex.Message}");
        }
    }
}
