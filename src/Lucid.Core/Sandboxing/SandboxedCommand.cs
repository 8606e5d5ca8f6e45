using System.Diagnostics;
using Lucid.Results;
using Microsoft.Extensions.Logging;

namespace Lucid.Sandboxing;

/// <summary>How a command a session runs is started: in its sandbox, unconfined (when the operator opted out), or not at all.</summary>
internal static class SandboxedCommand
{
    /// <summary>
    /// The process that runs <paramref name="command"/> with <c>bash -c</c> for the session whose work directory is
    /// <paramref name="workDirectory"/>, or an error naming <paramref name="tool"/> when processes are refused here.
    /// Dispose it once the process has exited: a sandbox with <see cref="SandboxOptions.Egress"/> has its own proxy,
    /// which logs the connections it refuses to <paramref name="log"/>.
    /// </summary>
    public static Result<SandboxedProcess> Prepare(SandboxOptions options, string workDirectory, string command, string tool, ILogger log)
    {
        if (options.PackagesFailure is { } failure)
        {
            return LucidError.Invalid("command", $"{tool} cannot run: {failure}");
        }

        switch (options.Isolation)
        {
            case ProcessIsolation.Refused:
                return LucidError.Invalid("command", RefusalMessage(options, tool));
            case ProcessIsolation.Unsandboxed:
                var host = new ProcessStartInfo("/bin/bash") { WorkingDirectory = workDirectory };
                host.ArgumentList.Add("-c");
                host.ArgumentList.Add("--");
                host.ArgumentList.Add(command);
                if (options.PackagesDirectory is { } packages)
                {
                    foreach (var (name, value) in BubblewrapArguments.PackageVariables(packages))
                    {
                        host.Environment[name] = name == "PATH" ? $"{value.Replace(BubblewrapArguments.SystemPath, "", StringComparison.Ordinal)}{Environment.GetEnvironmentVariable("PATH")}" : value;
                    }
                }

                foreach (var secret in options.Secrets)
                {
                    host.Environment[secret.Name] = secret.Value;
                }

                return new SandboxedProcess(host, null);
            default:
                var egress = options.Egress is { } rules && options.Network == NetworkAccess.None
                    ? EgressProxy.Start(Path.Combine(Path.GetTempPath(), $"lucid-egress-{Guid.NewGuid():N}.sock"), rules, log, options.Secrets, options.Authority)
                    : null;
                return new SandboxedProcess(InSandbox(options, workDirectory, command, egress?.SocketPath), egress);
        }
    }

    /// <summary>The bubblewrap process that runs <paramref name="command"/> in the sandbox of <paramref name="workDirectory"/>.</summary>
    public static ProcessStartInfo InSandbox(SandboxOptions options, string workDirectory, string command, string? egressSocket = null)
    {
        var start = new ProcessStartInfo(options.BubblewrapPath) { WorkingDirectory = workDirectory };

        // bubblewrap stays in the sandbox as its PID 1, whose /proc/1/environ any command can read: it gets nothing but
        // the vaults' variables, which hold placeholders (and which must not go on its command line).
        start.Environment.Clear();
        foreach (var secret in options.Secrets)
        {
            start.Environment[secret.Name] = secret.Placeholder;
        }

        foreach (var argument in BubblewrapArguments.For(options, workDirectory, command, egressSocket))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Why <paramref name="tool"/> cannot run on this server.</summary>
    public static string RefusalMessage(SandboxOptions options, string tool) =>
        $"{tool} is refused: this server cannot run commands in a sandbox ({options.RefusalReason ?? "no sandbox is available"}), and it was not started with --unsafe-no-sandbox.";
}

/// <summary>A command ready to start, with the egress proxy its sandbox reaches out through, if any.</summary>
internal sealed record SandboxedProcess(ProcessStartInfo Start, EgressProxy? Egress) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        if (Egress is not null)
        {
            await Egress.DisposeAsync();
        }
    }
}
