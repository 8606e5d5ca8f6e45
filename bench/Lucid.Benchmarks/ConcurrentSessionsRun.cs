using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Lucid.Testing.Providers;
using Microsoft.AspNetCore.Http;

namespace Lucid.Benchmarks;

/// <summary>
/// Many one-turn sessions at once through the HTTP API of the real <c>lucid serve</c>, run as a child process (SQLite
/// store, fsync per commit) against a local fake OpenAI model. After a warm-up, first on a model that takes a fixed
/// latency per call: the wall time of N sessions against one session, which is what concurrency costs the engine. Then
/// on an instant model: events committed per second, and the server process's CPU time per event.
/// </summary>
internal static class ConcurrentSessionsRun
{
    private const double WallRatioTarget = 1.3;
    private static readonly TimeSpan CpuPerEventTarget = TimeSpan.FromMicroseconds(150);

    public static async Task<int> RunAsync(string[] args)
    {
        var levels = (ApiLoadRun.TextOption(args, "--levels") ?? "1,50,200").Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var latency = TimeSpan.FromMilliseconds(ApiLoadRun.Option(args, "--model-latency-ms", 500));
        var levelRuns = ApiLoadRun.Option(args, "--level-runs", 3);
        var instantSessions = ApiLoadRun.Option(args, "--instant-sessions", 200);
        var instantRounds = ApiLoadRun.Option(args, "--instant-rounds", 3);
        var warmupSessions = ApiLoadRun.Option(args, "--warmup-sessions", 200);
        var warmupRounds = ApiLoadRun.Option(args, "--warmup-rounds", 40);
        var timeout = TimeSpan.FromSeconds(ApiLoadRun.Option(args, "--timeout-s", 600));
        var trace = ApiLoadRun.TextOption(args, "--trace") is { } t ? Path.GetFullPath(t) : null;
        var perf = ApiLoadRun.TextOption(args, "--perf") is { } p ? Path.GetFullPath(p) : null;
        var lucidDll = ApiLoadRun.TextOption(args, "--lucid") ?? Path.Combine(AppContext.BaseDirectory, "lucid.dll");

        // The whole run is bounded; Ctrl+C ends it the same way, so the server is killed and the directory deleted.
        await using var run = await ServeRunSetup.StartAsync(timeout);
        var home = Directory.CreateTempSubdirectory("lucid-concurrent-").FullName;
        try
        {
            var model = run.Model;
            var environment = run.ModelVariables();

            // The server's allocations and collections are read through a hook this assembly runs inside it.
            environment["DOTNET_STARTUP_HOOKS"] = typeof(ServerGcProbe).Assembly.Location;
            environment[ServerGcProbe.SocketVariable] = Path.Combine(home, "gc-probe.sock");
            if (perf is not null)
            {
                // perf finds the names of JIT-compiled methods in /tmp/perf-PID.map.
                environment["DOTNET_PerfMapEnabled"] = "3";
                // With W^X on, JIT-compiled code runs from a memfd mapping that perf does not match against the map.
                environment["DOTNET_EnableWriteXorExecute"] = "0";
            }

            await using var server = await LucidServeProcess.StartAsync(lucidDll, home, environment, run.Stop);
            await using var jit = JitThreadCpu.Start(server.Id);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = timeout };
            http.DefaultRequestHeaders.Add("x-api-key", server.ApiKey);
            var probe = new ServerGcProbe(environment[ServerGcProbe.SocketVariable]);
            var meter = new Meter(server, jit, probe, await OneTurnClient.CreateAsync(http, "openai/test", run.Stop));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lucid serve (pid {server.Id}, {lucidDll}) · {Environment.ProcessorCount} cores · {RuntimeInformation.OSDescription} · .NET {Environment.Version}"));
            Console.WriteLine("One session: POST /v1/sessions with a user.message in initial_events, then its SSE stream from the first event to the turn's session.status_idle.");
            Console.WriteLine("Events committed: counted after each run by paging GET /v1/sessions/{id}/events of every session.");

            model.Fallback = Reply(TimeSpan.Zero);
            await WarmUpAsync(meter, warmupSessions, warmupRounds, run.Stop);

            model.Fallback = Reply(latency);
            PrintLevels(await MeasureLevelsAsync(meter, levels, levelRuns, run.Stop), latency);

            if (instantSessions > 0 && instantRounds > 0)
            {
                model.Fallback = Reply(TimeSpan.Zero);
                PrintInstant(await MeasureInstantAsync(meter, server.Id, instantSessions, instantRounds, trace, perf, run.Stop), instantSessions);
                if (trace is not null || perf is not null)
                {
                    Console.WriteLine("Profilers were attached to the server in this phase: its CPU figures include their overhead.");
                    foreach (var written in new[] { trace, perf }.OfType<string>())
                    {
                        Console.WriteLine($"profile written: {written}");
                    }

                    if (perf is not null)
                    {
                        Console.WriteLine($"JIT symbols for perf report: /tmp/perf-{server.Id}.map");
                    }
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    // Warm-up rounds on the instant model, until the background compiler is quiet (JitWarmUp).
    private static Task WarmUpAsync(Meter meter, int sessions, int maxRounds, CancellationToken cancellationToken) =>
        JitWarmUp.RunAsync(maxRounds, async (round, ct) =>
        {
            var (measured, pauseJit) = await meter.RunAndPauseAsync(sessions, JitWarmUp.Pause, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up {round}: {sessions} sessions on the instant model in {measured.Wall.TotalSeconds:F2} s, server CPU {measured.ServerCpu.TotalMilliseconds:N0} ms, of which background JIT {measured.JitText}; background JIT in the {JitWarmUp.Pause.TotalMilliseconds:N0} ms pause after it {pauseJit?.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) ?? "–"} ms"));
            return new JitWarmUp.RoundCpu(measured.ServerCpu, measured.JitCpu + pauseJit);
        }, cancellationToken);

    // Each level runs a few times, sorted by wall time.
    private static async Task<List<(int Level, Measured[] Runs)>> MeasureLevelsAsync(Meter meter, int[] levels, int runsPerLevel, CancellationToken cancellationToken)
    {
        var measured = new List<(int Level, Measured[] Runs)>();
        foreach (var level in levels)
        {
            var runs = new Measured[runsPerLevel];
            for (var run = 0; run < runsPerLevel; run++)
            {
                runs[run] = await meter.CountAsync(await meter.RunAsync(level, cancellationToken), cancellationToken);
            }

            measured.Add((level, [.. runs.OrderBy(r => r.Wall)]));
        }

        return measured;
    }

    // The profilers record every round of the phase; events are counted after they stop, so the profiles hold only the
    // sessions' own work.
    private static async Task<List<Measured>> MeasureInstantAsync(
        Meter meter, int serverId, int sessions, int roundCount, string? trace, string? perf, CancellationToken cancellationToken)
    {
        var rounds = new List<Measured>();
        await using (var tracing = trace is null ? null : await ProfilerRecording.DotnetTraceAsync(serverId, trace, cancellationToken))
        await using (var perfing = perf is null ? null : await ProfilerRecording.PerfAsync(serverId, perf, cancellationToken))
        {
            for (var round = 1; round <= roundCount; round++)
            {
                rounds.Add(await meter.RunAsync(sessions, cancellationToken));
            }

            foreach (var recording in new[] { tracing, perfing }.OfType<ProfilerRecording>())
            {
                await recording.StopAsync();
            }
        }

        for (var i = 0; i < rounds.Count; i++)
        {
            rounds[i] = await meter.CountAsync(rounds[i], cancellationToken);
        }

        return rounds;
    }

    // Each level ran a few times; its row is the run with the median wall time, with the range of all runs.
    private static void PrintLevels(List<(int Level, Measured[] Runs)> measured, TimeSpan latency)
    {
        static Measured Median(Measured[] runs) => runs[runs.Length / 2];
        var last = measured[^1];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Phase 1: model latency {latency.TotalMilliseconds:F0} ms, {last.Runs.Length} runs a level (median shown); target: {last.Level} sessions ≤ {WallRatioTarget}× one session"));
        Console.WriteLine("| sessions | wall time | min–max | vs one session | events committed | events/session | session latency p50 | p99 | server CPU (cores busy) | background JIT |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var one = measured.Where(m => m.Level == 1).Select(m => (TimeSpan?)Median(m.Runs).Wall).FirstOrDefault();
        foreach (var (level, runs) in measured)
        {
            var m = Median(runs);
            var ratio = one is { } single ? string.Create(CultureInfo.InvariantCulture, $"{m.Wall / single:F2}×") : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {m.Wall.TotalMilliseconds:F0} ms | {runs[0].Wall.TotalMilliseconds:F0}–{runs[^1].Wall.TotalMilliseconds:F0} ms | {ratio} | {m.Committed:N0} | {(double)m.Committed / level:F1} | {Percentile(m.Sessions, 0.50):F0} ms | {Percentile(m.Sessions, 0.99):F0} ms | {m.ServerCpuText} | {m.JitText} |"));
            foreach (var run in runs)
            {
                WarnIfStreamedDiffers(run);
            }
        }

        var lastWall = Median(last.Runs).Wall;
        Console.WriteLine(one is { } oneWall
            ? string.Create(CultureInfo.InvariantCulture,
                $"target {last.Level} sessions ≤ {WallRatioTarget}× one session: {(lastWall / oneWall <= WallRatioTarget ? "met" : "NOT met")} ({lastWall / oneWall:F2}×)")
            : "target: not checked (the ratio needs a level of 1)");

        Console.WriteLine();
        Console.WriteLine("Where a session's time goes (median run of each level; p50 / p99 over its sessions, from sending the create request):");
        Console.WriteLine("| sessions | create answered | model request start seen | model request end seen | idle seen |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var (level, runs) in measured)
        {
            var sessions = Median(runs).Sessions;
            string Stage(Func<OneTurn, TimeSpan> stage) => string.Create(CultureInfo.InvariantCulture,
                $"{Percentile(sessions, stage, 0.50):F0} / {Percentile(sessions, stage, 0.99):F0} ms");
            Console.WriteLine($"| {level} | {Stage(s => s.Stages.Created)} | {Stage(s => s.Stages.ModelStart)} | {Stage(s => s.Stages.ModelEnd)} | {Stage(s => s.Latency)} |");
        }
    }

    private static void PrintInstant(List<Measured> rounds, int sessions)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Phase 2: instant model, {sessions} sessions at once, {rounds.Count} rounds; target: ≤ {CpuPerEventTarget.TotalMicroseconds:F0} µs of server CPU per event committed"));
        Console.WriteLine("| round | sessions | wall time | events committed | events/s | events/session | server CPU (cores busy) | in kernel | background JIT | CPU per event | CPU per session | allocated per session | exceptions per session | collections gen0/1/2, paused | bench process CPU (clients, fake model) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < rounds.Count; i++)
        {
            var m = rounds[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} | {sessions} | {m.Wall.TotalMilliseconds:F0} ms | {m.Committed:N0} | {m.Committed / m.Wall.TotalSeconds:N0} | {(double)m.Committed / sessions:F1} | {m.ServerCpuText} | {m.ServerKernelCpu / m.ServerCpu:P0} | {m.JitText} | {(m.ServerCpu / m.Committed).TotalMicroseconds:F0} µs | {(m.ServerCpu / sessions).TotalMilliseconds:F2} ms | {m.Gc.Allocated / sessions / 1024.0:F1} KiB | {m.ExceptionsPerSession:F1} | {m.GcText} | {m.ClientCpu.TotalMilliseconds:N0} ms |"));
            WarnIfStreamedDiffers(m);
        }

        var cpu = rounds.Aggregate(TimeSpan.Zero, (sum, m) => sum + m.ServerCpu);
        var wall = rounds.Aggregate(TimeSpan.Zero, (sum, m) => sum + m.Wall);
        var events = rounds.Sum(m => m.Committed);
        var perEvent = cpu / events;
        var gc = rounds.Aggregate(default(GcCounters), (sum, m) => sum + m.Gc);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"all rounds: {events:N0} events, {events / wall.TotalSeconds:N0} events/s, server CPU {perEvent.TotalMicroseconds:F0} µs per event, {(cpu / (rounds.Count * sessions)).TotalMilliseconds:F2} ms per session, allocated {gc.Allocated / (rounds.Count * sessions) / 1024.0:F1} KiB and {(double)gc.Exceptions / (rounds.Count * sessions):F1} exceptions per session, collections gen0/1/2 {gc.Gen0}/{gc.Gen1}/{gc.Gen2} pausing {gc.Paused.TotalMilliseconds:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target ≤ {CpuPerEventTarget.TotalMicroseconds:F0} µs CPU per event: {(perEvent <= CpuPerEventTarget ? "met" : "NOT met")} ({perEvent.TotalMicroseconds:F0} µs)"));
    }

    private static TimeSpan Wall(OneTurn[] sessions) => sessions.Max(s => s.Finished);

    private static double Percentile(OneTurn[] sessions, double p) => Percentile(sessions, s => s.Latency, p);

    private static double Percentile(OneTurn[] sessions, Func<OneTurn, TimeSpan> of, double p)
    {
        var sorted = sessions.Select(s => of(s).TotalMilliseconds).Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static void WarnIfStreamedDiffers(Measured measured)
    {
        var streamed = measured.Sessions.Sum(s => (long)s.Streamed);
        if (streamed != measured.Committed)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: {streamed:N0} events streamed up to idle, {measured.Committed:N0} in the logs"));
        }
    }

    /// <summary>
    /// The fake model's answer to every chat completion: a short text after an asynchronous delay, so concurrent calls
    /// overlap as they would on a remote model.
    /// </summary>
    internal static Func<RecordedRequest, HttpResponse, Task> Reply(TimeSpan latency) => async (request, response) =>
    {
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, response.HttpContext.RequestAborted);
        }

        await FakeOpenAIServer.WriteTextAsync(request, response, "Done.");
    };

    // Server CPU is read just before the sessions start and just after the last one is idle; events are counted from
    // the store afterwards, outside the measured interval.
    private sealed class Meter(LucidServeProcess server, JitThreadCpu? jit, ServerGcProbe probe, OneTurnClient client)
    {
        /// <summary>Runs the sessions and measures them; the events they committed are counted by <see cref="CountAsync"/>.</summary>
        public async Task<Measured> RunAsync(int sessions, CancellationToken cancellationToken)
        {
            using var self = Process.GetCurrentProcess();
            var clientBefore = self.TotalProcessorTime;
            var jitBefore = jit?.Total();
            var gcBefore = await probe.ReadAsync(cancellationToken);
            var before = server.CpuTime();
            var run = await client.RunAsync(sessions, cancellationToken);
            var after = server.CpuTime();
            var gc = await probe.ReadAsync(cancellationToken) - gcBefore;
            var jitCpu = jit?.Total() - jitBefore;
            self.Refresh();
            var clientCpu = self.TotalProcessorTime - clientBefore;
            var kernel = after.Kernel - before.Kernel;
            return new Measured(run, Wall(run), Committed: 0, after.User - before.User + kernel, kernel, jitCpu, clientCpu, gc);
        }

        /// <summary>Runs the sessions, then waits <paramref name="pause"/> and measures the background JIT in it.</summary>
        public async Task<(Measured Round, TimeSpan? PauseJit)> RunAndPauseAsync(int sessions, TimeSpan pause, CancellationToken cancellationToken)
        {
            var measured = await RunAsync(sessions, cancellationToken);
            var jitBefore = jit?.Total();
            await Task.Delay(pause, cancellationToken);
            var pauseJit = jit?.Total() - jitBefore;
            return (await CountAsync(measured, cancellationToken), pauseJit);
        }

        public async Task<Measured> CountAsync(Measured measured, CancellationToken cancellationToken) =>
            measured with { Committed = await client.CountCommittedAsync(measured.Sessions.Select(s => s.SessionId), cancellationToken) };
    }

    private sealed record Measured(OneTurn[] Sessions, TimeSpan Wall, long Committed, TimeSpan ServerCpu, TimeSpan ServerKernelCpu, TimeSpan? JitCpu, TimeSpan ClientCpu, GcCounters Gc)
    {
        public string GcText => string.Create(CultureInfo.InvariantCulture, $"{Gc.Gen0}/{Gc.Gen1}/{Gc.Gen2}, {Gc.Paused.TotalMilliseconds:F0} ms");

        public double ExceptionsPerSession => (double)Gc.Exceptions / Sessions.Length;

        public string ServerCpuText => string.Create(CultureInfo.InvariantCulture, $"{ServerCpu.TotalMilliseconds:N0} ms ({ServerCpu / Wall:F2} cores)");

        public string JitText => JitCpu is { } jit ? string.Create(CultureInfo.InvariantCulture, $"{jit.TotalMilliseconds:N0} ms") : "–";
    }
}
