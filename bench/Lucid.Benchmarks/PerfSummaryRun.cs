using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lucid.Benchmarks;

/// <summary>
/// Summarizes a <c>perf record -g</c> profile of the server (such as <c>concurrent-sessions --perf PATH</c> writes): where
/// its CPU samples land by kind of code, SQLite's native time by what it was doing, the components on the stack, and the
/// hottest managed methods and namespaces. Native SQLite, libc and most kernel samples carry no managed caller (those
/// libraries have no frame pointers), so components are counted over the samples that have one.
/// </summary>
internal static partial class PerfSummaryRun
{
    // Kinds of kernel work, by the symbols on the kernel part of the stack; the first that matches wins.
    private static readonly (string Kind, Regex Symbols)[] KernelKinds =
    [
        ("kernel: sched_yield (spinning threads)", SchedYield()),
        ("kernel: fsync and block I/O", BlockIo()),
        ("kernel: file read/write (page cache)", FileIo()),
        ("kernel: network and epoll", Network()),
        ("kernel: futex and scheduler", Scheduler()),
        ("kernel: mkdir, open, stat", PathCalls()),
        ("kernel: page faults, memory", Memory()),
    ];

    // What native SQLite was doing, by its leaf function; statement preparation is the parser, resolver, planner and
    // code generator, which run again for every command that is not kept prepared.
    private static readonly (string Kind, Regex Symbols)[] SqliteKinds =
    [
        ("prepare (parse, resolve, plan, generate code)", SqlitePrepare()),
        ("page cache reset after another connection wrote", SqliteCacheReset()),
        ("WAL append and commit", SqliteWal()),
        ("finalize and free statements", SqliteFinalize()),
        ("execute (VDBE, b-tree, pages, bind, columns)", SqliteExecute()),
        ("memory allocation", SqliteMalloc()),
        ("locks and mutexes", SqliteLocks()),
    ];

    // Components, by a frame on the stack (inclusive: one sample can count for several).
    private static readonly (string Component, Regex Frame)[] Components =
    [
        ("SQLite store (Lucid.Storage.Sqlite)", StoreFrame()),
        ("  opening a pooled connection + PRAGMA synchronous", StoreOpen()),
        ("Microsoft.Data.Sqlite", DataSqlite()),
        ("event hub (append, publish, subscribe)", EventHubFrame()),
        ("session runner", RunnerFrame()),
        ("session host (create, send)", HostFrame()),
        ("Kestrel and ASP.NET Core", AspNetFrame()),
        ("SSE stream writer (EventEndpoints.Frames)", SseFrame()),
        ("API key check (ApiFilter)", ApiFilterFrame()),
        ("System.Text.Json", JsonFrame()),
        ("model call (OpenAI SDK, System.ClientModel, HttpClient, Polly)", ModelFrame()),
        ("thread pool workers waiting or spinning", PoolWaitFrame()),
        ("exceptions thrown and caught", ExceptionFrame()),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1 || !File.Exists(args[0]))
        {
            await Console.Error.WriteLineAsync("usage: perf-summary PERF_DATA (written by perf record -g, e.g. concurrent-sessions --perf PATH)");
            return 2;
        }

        var samples = await ReadSamplesAsync(args[0]);
        var kinds = new Dictionary<string, int>();
        var sqlite = new Dictionary<string, int>();
        var components = new Dictionary<string, int>();
        var methods = new Dictionary<string, int>();
        var namespaces = new Dictionary<string, int>();
        var attributed = 0;
        foreach (var frames in samples)
        {
            var (symbol, module) = frames[0];
            var kind = Kind(frames, symbol, module);
            Count(kinds, kind);
            if (kind == "SQLite (native)")
            {
                Count(sqlite, FirstMatch(SqliteKinds, symbol) ?? "other");
            }
            else if (kind == "managed code")
            {
                Count(methods, MethodName(symbol));
                Count(namespaces, Namespace(symbol));
            }

            var managed = frames.Where(f => IsManaged(f.Module)).Select(f => f.Symbol).ToList();
            if (managed.Count > 0)
            {
                attributed++;
                foreach (var (component, frame) in Components)
                {
                    if (managed.Exists(frame.IsMatch))
                    {
                        Count(components, component);
                    }
                }
            }
        }

        var total = samples.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:N0} CPU samples of the server ({args[0]})"));
        Print("Where the CPU goes (leaf frame)", Largest(kinds, 20), total);
        Print("SQLite native time, by what it was doing (share of all samples)", Largest(sqlite, 10), total);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.NewLine}Components on the stack: {100.0 * attributed / total:F1}% of the samples have a managed frame; native SQLite, libc and most kernel samples cannot be attributed."));
        Print("Components (inclusive, share of all samples)", Components.Select(c => (c.Component, components.GetValueOrDefault(c.Component))), total);
        Print("Managed code by namespace (exclusive)", Largest(namespaces, 15), total);
        Print("Hottest managed methods (exclusive)", Largest(methods, 25), total);
        return 0;
    }

    private static string Kind(List<(string Symbol, string Module)> frames, string symbol, string module)
    {
        bool In(string name) => module.Contains(name, StringComparison.Ordinal);
        if (In("kallsyms"))
        {
            var kernel = string.Join(' ', frames.Where(f => f.Module.Contains("kallsyms", StringComparison.Ordinal)).Select(f => f.Symbol));
            return FirstMatch(KernelKinds, kernel) ?? "kernel: other";
        }

        if (In("e_sqlite3"))
        {
            return "SQLite (native)";
        }

        if (In("libcoreclr"))
        {
            return "CLR runtime (native: GC, stubs, casts, type loads)";
        }

        if (In("libclrjit"))
        {
            return "JIT compiler";
        }

        if (IsManaged(module))
        {
            return "managed code";
        }

        if (In("libc.so") || In("ld-linux") || In("vdso"))
        {
            return "libc, loader, vdso";
        }

        if (In("libcrypto") || In("OpenSsl"))
        {
            return "OpenSSL";
        }

        return symbol == "[unknown]" ? "unknown" : "other native: " + Path.GetFileName(module);
    }

    private static string? FirstMatch((string Kind, Regex Symbols)[] kinds, string text) =>
        kinds.Where(k => k.Symbols.IsMatch(text)).Select(k => k.Kind).FirstOrDefault();

    // JIT-compiled code is named from /tmp/perf-PID.map; precompiled (ReadyToRun) framework code shows as its .dll.
    private static bool IsManaged(string module) =>
        module.StartsWith("/tmp/perf-", StringComparison.Ordinal) || module.EndsWith(".dll", StringComparison.Ordinal);

    // "instance void [Lucid.Core] Lucid.Sessions.SessionRunner+<RunAsync>d__25::MoveNext()[OptimizedTier1]" → "Lucid.Sessions.SessionRunner.RunAsync"
    private static string MethodName(string symbol)
    {
        var match = QualifiedMethod().Match(symbol);
        if (!match.Success)
        {
            return symbol.Length > 100 ? symbol[..100] : symbol;
        }

        var name = AsyncStateMachine().Replace(match.Groups["name"].Value, ".$1");
        return name.Replace("::", ".", StringComparison.Ordinal);
    }

    private static string Namespace(string symbol)
    {
        var match = QualifiedMethod().Match(symbol);
        if (!match.Success)
        {
            return "(stubs and unnamed)";
        }

        var type = match.Groups["name"].Value.Split("::")[0].Split('+')[0].Split('[')[0];
        var dot = type.LastIndexOf('.');
        return dot > 0 ? type[..dot] : "(global)";
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static IEnumerable<(string Key, int Count)> Largest(Dictionary<string, int> counts, int top) =>
        counts.OrderByDescending(c => c.Value).Take(top).Select(c => (c.Key, c.Value));

    private static void Print(string title, IEnumerable<(string Key, int Count)> rows, int total)
    {
        Console.WriteLine();
        Console.WriteLine($"| {title} | share |");
        Console.WriteLine("|---|---:|");
        foreach (var (key, count) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {key.Replace("|", "\\|", StringComparison.Ordinal)} | {100.0 * count / total:F1}% |"));
        }
    }

    // `perf script` prints each sample as a header line and one line per frame ("address symbol+offset (module)"),
    // samples separated by blank lines.
    private static async Task<List<List<(string Symbol, string Module)>>> ReadSamplesAsync(string perfData)
    {
        var start = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "script", "-i", perfData })
        {
            start.ArgumentList.Add(argument);
        }

        using var perf = Process.Start(start) ?? throw new InvalidOperationException("perf did not start.");
        perf.ErrorDataReceived += (_, _) => { };
        perf.BeginErrorReadLine();
        var samples = new List<List<(string, string)>>();
        List<(string, string)>? current = null;
        while (await perf.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                current = null;
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                current = [];
                samples.Add(current);
                continue;
            }

            var frame = FrameLine().Match(line);
            if (current is not null && frame.Success)
            {
                current.Add((frame.Groups["symbol"].Value, frame.Groups["module"].Value));
            }
        }

        await perf.WaitForExitAsync();
        return [.. samples.Where(s => s.Count > 0)];
    }

    [GeneratedRegex(@"^\s*[0-9a-f]+ (?<symbol>.*?)(?:\+0x[0-9a-f]+)? \((?<module>[^()]*)\)$")]
    private static partial Regex FrameLine();

    [GeneratedRegex(@"\] (?<name>[^\[\]\s]*(?:\[[^\]]*\])?[^\[\]\s]*::[^(\s]*)\(")]
    private static partial Regex QualifiedMethod();

    [GeneratedRegex(@"\+<([^>]+)>d__\d+(?:`\d+)?(?:\[[^\]]*\])?::MoveNext")]
    private static partial Regex AsyncStateMachine();

    [GeneratedRegex("sched_yield")]
    private static partial Regex SchedYield();

    [GeneratedRegex("fsync|fdatasync|jbd2|blk_|ext4_sync|submit_bio|bio_")]
    private static partial Regex BlockIo();

    [GeneratedRegex("ext4|filemap|vfs_read|vfs_write|pwrite|pread|generic_perform_write|folio|copy_page")]
    private static partial Regex FileIo();

    [GeneratedRegex("tcp|sock|inet|skb|epoll|net_|ip_")]
    private static partial Regex Network();

    [GeneratedRegex("futex|schedule|finish_task_switch|try_to_wake_up")]
    private static partial Regex Scheduler();

    [GeneratedRegex("mkdir|openat|do_sys_open|path_|lookup|statx|getdents")]
    private static partial Regex PathCalls();

    [GeneratedRegex("page_fault|mmap|munmap|madvise|mprotect")]
    private static partial Regex Memory();

    [GeneratedRegex(@"Parser|^yy_|keywordCode|GetToken|[Rr]esolve|[Ww]here|sqlite3Select|selectExpander|selectInnerLoop|Expr|sqlite3Vdbe(AddOp|ChangeP|MakeReady|ResolveLabel|Create|Goto|Comment|SetP4|AppendP4)|Prepare|LocateTable|FindTable|findElementWithHash|StrICmp|StrIHash|ColumnIndex|ColumnColl|codeAllEquality|codeEquality|sqlite3Insert$|sqlite3Update$|GenerateConstraintChecks|GenerateColumnNames|sqlite3Pragma|pragmaLocate|getSafetyLevel|tokenExpr|sqlite3DeleteFrom|FinishCoding|KeyInfo|LogEst|TableColumnToIndex|sqlite3GetVdbe|constInsert|applyAffinity|sqlite3BinaryCompareCollSeq|sqlite3IndexAffinity|sqlite3AuthCheck|sqlite3BeginWriteOperation|sqlite3OpenTable|sqlite3TableLock|sqlite3CodeVerify|lookupName|sqlite3SrcList|sqlite3NameFromToken|sqlite3Dequote")]
    private static partial Regex SqlitePrepare();

    [GeneratedRegex("pcache1Truncate|sqlite3PcacheTruncate|pager_reset|sqlite3PcacheClear")]
    private static partial Regex SqliteCacheReset();

    [GeneratedRegex("^wal|Wal|pager_end_transaction|unixSync|full_fsync|sqlite3PagerCommit|syncJournal|unixWrite|sqlite3BtreeCommit")]
    private static partial Regex SqliteWal();

    [GeneratedRegex("vdbeFreeOpArray|freeP4|sqlite3VdbeDelete|sqlite3VdbeClearObject|releaseMemArray|sqlite3_finalize|sqlite3VdbeReset|sqlite3VdbeHalt|Delete$|DbFree|DbNNFree|sqlite3_free|sqlite3VdbeFinalize|ParserReset|ParseObjectReset|releaseAllSavepoints")]
    private static partial Regex SqliteFinalize();

    [GeneratedRegex("sqlite3VdbeExec|Btree|btree|balance|[Mm]oveto|RecordCompare|sqlite3VdbeSerial|sqlite3VdbeRecord|pcache|Pcache|sqlite3PagerGet|getPageNormal|getAndInitPage|cellSize|fillInCell|insertCell|dropCell|sqlite3_step|sqlite3Step|sqlite3VdbeMem|sqlite3_column|columnTypeImpl|columnMem|sqlite3_bind|vdbeUnbind|sqlite3VdbeIdx|Cursor|decodeFlags|accessPayload|sqlite3PagerUnref|releasePage|sqlite3_value|Varint|allocateBtreePage|copyNodeContent|assemblePage|defragmentPage|rebuildPage|pageInsertArray|editPage|sqlite3_reset|moveToRoot")]
    private static partial Regex SqliteExecute();

    [GeneratedRegex("[Mm]alloc|Realloc|MemSize|sqlite3DbStrDup|sqlite3DbStrNDup|sqlite3MemFree")]
    private static partial Regex SqliteMalloc();

    [GeneratedRegex("Lock|Mutex|mutex|unixShm|posix|osFcntl")]
    private static partial Regex SqliteLocks();

    [GeneratedRegex(@"\[Lucid\.Storage\.Sqlite\]")]
    private static partial Regex StoreFrame();

    [GeneratedRegex(@"Lucid\.Storage\.Sqlite\.SqliteStore\+<OpenAsync>")]
    private static partial Regex StoreOpen();

    [GeneratedRegex(@"\[Microsoft\.Data\.Sqlite\]")]
    private static partial Regex DataSqlite();

    [GeneratedRegex(@"Lucid\.Events\.EventHub")]
    private static partial Regex EventHubFrame();

    [GeneratedRegex(@"Lucid\.Sessions\.SessionRunner")]
    private static partial Regex RunnerFrame();

    [GeneratedRegex(@"Lucid\.Sessions\.SessionHost")]
    private static partial Regex HostFrame();

    [GeneratedRegex(@"\[Microsoft\.AspNetCore")]
    private static partial Regex AspNetFrame();

    [GeneratedRegex(@"Lucid\.Server\.Sessions\.EventEndpoints\+<Frames>")]
    private static partial Regex SseFrame();

    [GeneratedRegex(@"Lucid\.Server\.Http\.ApiFilter")]
    private static partial Regex ApiFilterFrame();

    [GeneratedRegex(@"\[System\.Text\.Json\]")]
    private static partial Regex JsonFrame();

    [GeneratedRegex(@"\[OpenAI\]|\[System\.ClientModel\]|\[System\.Net\.Http\]|\[Polly|\[Microsoft\.Extensions\.Http\.Resilience|\[Microsoft\.Extensions\.AI")]
    private static partial Regex ModelFrame();

    [GeneratedRegex("LowLevelLifoSemaphore")]
    private static partial Regex PoolWaitFrame();

    [GeneratedRegex(@"System\.Runtime\.EH::|ExceptionDispatchInfo::Throw|ThrowOperationCanceledException|Exception::CaptureDispatchState")]
    private static partial Regex ExceptionFrame();
}
