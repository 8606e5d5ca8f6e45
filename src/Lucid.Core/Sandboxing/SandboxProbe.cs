using Lucid.Tools;

namespace Lucid.Sandboxing;

/// <summary>Checks, once at a host's startup, whether a sandbox can be made here: it runs <c>true</c> in one.</summary>
public static class SandboxProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <c>true</c> in a sandbox made from <paramref name="options"/>, exactly as a session's command would run, in
    /// a scratch directory. Returns null when it ran, or what failed (bubblewrap missing, user namespaces disabled…).
    /// </summary>
    public static async Task<string?> FailureAsync(SandboxOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scratch = Directory.CreateTempSubdirectory("lucid-sandbox-probe-");
        try
        {
            var run = await ShellCommand.RunAsync(SandboxedCommand.InSandbox(options, scratch.FullName, "true"), Patience, 4_000, TimeProvider.System, cancellationToken);
            return run.TimedOut ? $"{options.BubblewrapPath} did not finish within {Patience.TotalSeconds:0} s"
                : run.ExitCode == 0 ? null
                : $"{options.BubblewrapPath} exited with code {run.ExitCode}: {run.Output.Trim()}";
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
