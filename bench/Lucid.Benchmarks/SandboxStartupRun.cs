using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Benchmarks;

/// <summary>
/// What the sandbox adds to a <c>bash</c> call: the same command (<c>true</c>, or <c>--command</c>) started as the bash
/// tool starts it, in its bubblewrap sandbox (namespaces, mounts, limits) and bare on the host (the opt-out), through
/// the same launcher and output handling, alternating call by call so that load on the machine falls on both alike.
/// <c>--network unrestricted</c> leaves out the network namespace, to see what it costs; <c>--network limited</c> gives
/// each call its egress proxy and the bridge to it, as an environment with <c>limited</c> networking does.
/// </summary>
internal static class SandboxStartupRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = ApiLoadRun.Option(args, "--calls", 300);
        var command = ApiLoadRun.TextOption(args, "--command") ?? "true";
        var networkName = ApiLoadRun.TextOption(args, "--network") ?? "none";
        var network = networkName == "unrestricted" ? NetworkAccess.Unrestricted : NetworkAccess.None;
        var egress = networkName == "limited" ? new EgressRules(new Environments.NetworkPolicy { AllowedHosts = ["example.com"] }) : null;
        var failure = await SandboxProbe.FailureAsync(new SandboxOptions(), CancellationToken.None);
        if (failure is not null)
        {
            Console.Error.WriteLine($"No sandbox can be made here: {failure}");
            return 1;
        }

        var directory = Directory.CreateTempSubdirectory("lucid-sandbox-bench-").FullName;
        try
        {
            var sandboxed = new List<double>(calls);
            var bare = new List<double>(calls);
            // The first calls warm up the JIT, the launcher thread and the page cache; they are not counted.
            for (var i = -20; i < calls; i++)
            {
                var (inSandbox, onHost) = (await TimeAsync(ProcessIsolation.Sandboxed, network, egress, directory, command), await TimeAsync(ProcessIsolation.Unsandboxed, network, null, directory, command));
                if (i >= 0)
                {
                    sandboxed.Add(inSandbox);
                    bare.Add(onHost);
                }
            }

            var table = new StringBuilder();
            table.AppendLine("| start | calls | p50 | p90 | p99 | mean |");
            table.AppendLine("|---|---:|---:|---:|---:|---:|");
            table.AppendLine(Row("bare process (`/bin/bash -c`)", bare));
            table.AppendLine(Row($"sandbox (`bwrap` … `bash -c`), network {networkName}", sandboxed));
            Console.WriteLine(table);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"added by the sandbox: p50 {Percentile(sandboxed, 0.50) - Percentile(bare, 0.50):F1} ms, p99 {Percentile(sandboxed, 0.99) - Percentile(bare, 0.99):F1} ms"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // One call as the bash tool makes it, from start to exit with its output drained, in milliseconds.
    private static async Task<double> TimeAsync(ProcessIsolation isolation, NetworkAccess network, EgressRules? egress, string directory, string command)
    {
        var options = new SandboxOptions { Isolation = isolation, Network = network, Egress = egress };
        var clock = Stopwatch.StartNew();
        await using var start = SandboxedCommand.Prepare(options, directory, command, "bash", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Value ?? throw new InvalidOperationException("Not prepared.");
        var run = await ShellCommand.RunAsync(start.Start, TimeSpan.FromSeconds(30), 30_000, TimeProvider.System, CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return run.ExitCode == 0 && !run.TimedOut ? elapsed : throw new InvalidOperationException($"{isolation} call failed: {run.Output}");
    }

    internal static string Row(string name, List<double> times) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {times.Count} | {Percentile(times, 0.50):F1} ms | {Percentile(times, 0.90):F1} ms | {Percentile(times, 0.99):F1} ms | {times.Average():F1} ms |");

    internal static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}
