using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Lucid.Benchmarks.EventAppendBenchmarks).Assembly).Run(args);
