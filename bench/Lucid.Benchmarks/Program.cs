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

BenchmarkSwitcher.FromAssembly(typeof(EventAppendBenchmarks).Assembly).Run(args);
return 0;
