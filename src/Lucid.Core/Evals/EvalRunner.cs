using System.Collections.Concurrent;
using Lucid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Evals;

/// <summary>
/// Runs eval runs: every trial of every task in every arm, at most <see cref="EvalSuite.Concurrency"/> at once, saving
/// the finished trials as it goes and the report at the end. In the server runs go in the background
/// (<see cref="Start"/>); the CLI runs one and waits (<see cref="RunAsync"/>). After a restart,
/// <see cref="RecoverAsync"/> fails the runs that were under way: their sessions ran, but the run cannot pick them up.
/// In a cluster each run is started and settled through its owner node, so a node fails only the runs no node runs.
/// </summary>
public sealed partial class EvalRunner : IBackgroundRunner, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IEvalStore _store;
    private readonly EvalTrials _trials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Creates the runner over the engine whose sessions run the trials.</summary>
    public EvalRunner(IEvalStore store, Sessions.SessionEngine engine, TimeProvider? timeProvider = null, ILogger<EvalRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _store = store;
        _trials = new EvalTrials(engine.Sessions, engine.Events, engine.Options.WorkDirectoriesRoot);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Starts a pending run in the background (a run already started here is left alone).</summary>
    public void Start(string id)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = gate.Task.ContinueWith(_ => RunAsync(id, null, _stopping.Token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        if (_running.TryAdd(id, task))
        {
            gate.SetResult();
            _ = task.ContinueWith(_ => _running.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Runs a pending run to its end and returns it as stored: completed with its report, or failed.</summary>
    public async Task<EvalRun> RunAsync(string runId, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var run = await _store.UpdateEvalRunAsync(runId, r => r with { Status = EvalRunStatus.Running }, cancellationToken)
            ?? throw new InvalidOperationException($"Eval run '{runId}' does not exist.");
        var finished = new ConcurrentQueue<EvalTrial>();
        var unsaved = new ConcurrentQueue<EvalTrial>();
        var flushEvery = Math.Max(1, run.TotalTrials / 50);
        using var saving = new SemaphoreSlim(1, 1);
        try
        {
            var plan = Enumerable.Range(0, run.Suite.Tasks.Count)
                .SelectMany(task => Enumerable.Range(0, run.Suite.Arms.Count).SelectMany(arm => Enumerable.Range(1, run.Suite.Trials).Select(trial => (task, arm, trial))));
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = run.Suite.Concurrency, CancellationToken = cancellationToken }, async (item, ct) =>
            {
                var trial = await _trials.RunAsync(run, item.arm, item.task, item.trial, ct);
                finished.Enqueue(trial);
                unsaved.Enqueue(trial);
                progress?.Report(new EvalProgress(finished.Count, run.TotalTrials, trial));
                if (unsaved.Count >= flushEvery)
                {
                    await SaveAsync(runId, unsaved, saving, ct);
                }
            });
            await SaveAsync(runId, unsaved, saving, cancellationToken);
            var report = EvalReport.From(run.Suite, run.ArmStores, [.. finished]);
            return await _store.UpdateEvalRunAsync(runId, r => r with { Status = EvalRunStatus.Completed, Report = report, EndedAt = _time.GetUtcNow() }, CancellationToken.None) ?? run;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(_logger, ex, runId);
            await SaveAsync(runId, unsaved, saving, CancellationToken.None);
            var why = ex is OperationCanceledException ? "The run was stopped before all its trials ran." : $"The run failed: {ex.Message}";
            return await _store.UpdateEvalRunAsync(runId, r => r with { Status = EvalRunStatus.Failed, Error = why, EndedAt = _time.GetUtcNow() }, CancellationToken.None) ?? run;
        }
    }

    /// <summary>Whether a run is under way in this process (started here with <see cref="Start"/>).</summary>
    public bool Runs(string id) => _running.ContainsKey(id);

    /// <summary>Fails every run still pending or running that does not run here, as a restart leaves them; returns how many.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var runId in await UnsettledAsync(cancellationToken))
        {
            if (await SettleAsync(runId, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The runs a recovery looks at, oldest first: those pending or running, except the runs that replay a dream's
    /// lessons, which run inside their dream and are settled with it.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnsettledAsync(CancellationToken cancellationToken) =>
        [.. (await UnfinishedEvalRuns.ListAsync(_store, null, cancellationToken)).Where(r => r.ValidatesDreamId is null).Select(r => r.Id)];

    /// <summary>Fails the run if it is pending or running and does not run here (no process runs it any more); returns whether it did.</summary>
    public async Task<bool> SettleAsync(string id, CancellationToken cancellationToken) =>
        !Runs(id) && await UnfinishedEvalRuns.FailAsync(_store, id, "The server stopped while the run was under way; create it again.", _time.GetUtcNow(), cancellationToken);

    private async Task SaveAsync(string runId, ConcurrentQueue<EvalTrial> unsaved, SemaphoreSlim saving, CancellationToken cancellationToken)
    {
        await saving.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<EvalTrial>();
            while (unsaved.TryDequeue(out var trial))
            {
                batch.Add(trial);
            }

            if (batch.Count > 0)
            {
                await _store.UpdateEvalRunAsync(runId, r => r with { Trials = [.. r.Trials, .. batch] }, CancellationToken.None);
            }
        }
        finally
        {
            saving.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Values);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked; each run recorded why.
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Eval run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);
}
