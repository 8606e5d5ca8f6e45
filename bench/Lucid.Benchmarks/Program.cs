using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Lucid.Benchmarks;

// `api-load` and `import-mine` are end-to-end runs through the HTTP API that prints a table; everything else is BenchmarkDotNet.
if (args.Length > 0 && args[0] == "api-load")
{
    return await ApiLoadRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "import-mine")
{
    return await ImportMineRun.RunAsync(args[1..]);
}

// `threads-fanout` runs a lead over N parallel threads on a slow scripted model, end to end in the engine.
if (args.Length > 0 && args[0] == "threads-fanout")
{
    return await ThreadFanoutRun.RunAsync(args[1..]);
}

// `store-append` runs many concurrent appenders against the SQLite store and raw batched inserts, and prints both rates.
if (args.Length > 0 && args[0] == "store-append")
{
    return await StoreAppendRun.RunAsync(args[1..]);
}

// `sandbox-startup` times bash calls in their bubblewrap sandbox against the same command started bare, call by call.
if (args.Length > 0 && args[0] == "sandbox-startup")
{
    return await SandboxStartupRun.RunAsync(args[1..]);
}

// `mcp-call-overhead` times MCP tool calls on a loopback server against built-in tool calls, call by call, in the engine.
if (args.Length > 0 && args[0] == "mcp-call-overhead")
{
    return await McpCallOverheadRun.RunAsync(args[1..]);
}

// `concurrent-sessions` runs many one-turn sessions at once against the real `lucid serve` as a child process, and
// measures wall time against one session and the server's CPU time per event.
if (args.Length > 0 && args[0] == "concurrent-sessions")
{
    return await ConcurrentSessionsRun.RunAsync(args[1..]);
}

// `cluster` runs many one-turn sessions on one node and then on a cluster of several (PostgreSQL), with each node's CPU
// share, and with `--failover-rounds N` kills a node running sessions and times their failover.
if (args.Length > 0 && args[0] == "cluster")
{
    return await ClusterRun.RunAsync(args[1..]);
}

// `long-session` runs one session of many turns on a small context window and prints the tokens per request by turn.
if (args.Length > 0 && args[0] == "long-session")
{
    return await LongSessionRun.RunAsync(args[1..]);
}

// `console-page` times the web console's session page for a 10,000-event session, on the server and in Chromium.
if (args.Length > 0 && args[0] == "console-page")
{
    return await ConsolePageRun.RunAsync(args[1..]);
}

// `perf-summary PERF_DATA` summarizes a server profile recorded with `concurrent-sessions --perf PERF_DATA`.
if (args.Length > 0 && args[0] == "perf-summary")
{
    return await PerfSummaryRun.RunAsync(args[1..]);
}

// BenchmarkDotNet rebuilds the whole project graph (lucid included) for each run; on a busy 2-core machine that takes
// longer than its default two-minute build timeout.
BenchmarkSwitcher.FromAssembly(typeof(EventAppendBenchmarks).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
return 0;
