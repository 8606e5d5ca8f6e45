using System.Collections.Concurrent;
using Lucid.Evals;
using Lucid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lucid.Dreams;

/// <summary>
/// Runs dreams in the background, a few at a time (<see cref="DreamOptions.MaxConcurrentDreams"/>), and stops one at once
/// when <see cref="Cancel"/> is called (in a cluster, by the dream's grain on the node that runs it). A cancel written to
/// the store by another process is seen by the pipeline at its next stage boundary. After a restart, <see cref="RecoverAsync"/> starts the dreams still pending and fails those that were
/// running: their model calls cannot be resumed halfway, and a failed dream keeps what it wrote and can be created again.
/// A dream waiting for its review has no model call left: it is left waiting, its proposed changes as they were.
/// </summary>
public sealed partial class DreamRunner : IBackgroundRunner, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (Task Task, CancellationTokenSource Cancel)> _running = new(StringComparer.Ordinal);
    private readonly DreamPipeline _pipeline;
    private readonly ILucidStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Creates the runner.</summary>
    public DreamRunner(DreamPipeline pipeline, ILucidStore store, TimeProvider? timeProvider = null, ILogger<DreamRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _slots = new SemaphoreSlim(Math.Max(1, pipeline.Options.MaxConcurrentDreams));
    }

    /// <summary>Starts a pending dream in the background (a dream already started here is left alone).</summary>
    public void Start(string id)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = gate.Task.ContinueWith(_ => RunAsync(id, cancel), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        if (_running.TryAdd(id, (task, cancel)))
        {
            gate.SetResult();
        }
        else
        {
            cancel.Dispose();
        }
    }

    /// <summary>Stops a dream running here; its status was already set by the cancel request.</summary>
    public void Cancel(string dreamId)
    {
        if (_running.TryGetValue(dreamId, out var entry))
        {
            try
            {
                entry.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended (and disposed its source) after it was looked up: there is nothing left to stop.
            }
        }
    }

    /// <summary>Whether a dream is running in this process.</summary>
    public bool Runs(string id) => _running.ContainsKey(id);

    /// <summary>Starts every pending dream and fails every running one (see the class remarks); returns how many it touched.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var dreamId in await UnsettledAsync(cancellationToken))
        {
            if (await SettleAsync(dreamId, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The dreams a recovery looks at, oldest first: those pending, and those running that do not wait for their review.</summary>
    public async Task<IReadOnlyList<string>> UnsettledAsync(CancellationToken cancellationToken)
    {
        var query = new DreamQuery { IncludeArchived = true, Statuses = new HashSet<DreamStatus> { DreamStatus.Pending, DreamStatus.Running } };
        var found = new List<Dream>();
        string? cursor = null;
        do
        {
            var page = await _store.ListDreamsAsync(null, query, new PageRequest(100, cursor), cancellationToken);
            found.AddRange(page.Items);
            cursor = page.NextPage;
        }
        while (cursor is not null);

        return [.. found.Where(d => !d.AwaitsReview).OrderBy(d => d.CreatedAt).Select(d => d.Id)];
    }

    /// <summary>
    /// Settles one dream as a recovery does, unless it runs here: starts it if it is pending, fails it if it is running
    /// (no process runs it any more). Returns whether it touched the dream.
    /// </summary>
    public async Task<bool> SettleAsync(string id, CancellationToken cancellationToken)
    {
        if (Runs(id) || await _store.GetDreamAsync(id, cancellationToken) is not { AwaitsReview: false, Status: DreamStatus.Pending or DreamStatus.Running } dream)
        {
            return false;
        }

        if (dream.Status == DreamStatus.Pending)
        {
            Start(dream.Id);
            return true;
        }

        var error = new DreamError("interrupted", "The server stopped while this dream was running. What it wrote before stays in the output store; create the dream again to redo it.");
        var now = _time.GetUtcNow();
        var failed = false;
        await _store.UpdateDreamAsync(dream.Id, d => (failed = d.Status == DreamStatus.Running && !d.AwaitsReview) ? d with { Status = DreamStatus.Failed, Error = error, EndedAt = now } : null, cancellationToken);
        if (failed)
        {
            await FailReplaysAsync(dream, now, cancellationToken);
        }

        return failed;
    }

    // The eval runs that replayed the dream's lessons ran inside it (LessonReplay), and stopped with it.
    private async Task FailReplaysAsync(Dream dream, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var run in (await UnfinishedEvalRuns.ListAsync(_store, dream.WorkspaceId, cancellationToken)).Where(r => r.ValidatesDreamId == dream.Id))
        {
            await UnfinishedEvalRuns.FailAsync(_store, run.Id, "The server stopped while the dream this run validates was running; create the dream again to redo it.", now, cancellationToken);
        }
    }

    private async Task RunAsync(string dreamId, CancellationTokenSource cancel)
    {
        try
        {
            await _slots.WaitAsync(cancel.Token);
            try
            {
                var dream = await _pipeline.RunAsync(dreamId, null, cancel.Token);
                Finished(_logger, dreamId, dream.Status);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // A background dream must never bring the process down; the pipeline already records failures.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Crashed(_logger, ex, dreamId);
        }
        finally
        {
            if (_running.TryRemove(dreamId, out var entry))
            {
                entry.Cancel.Dispose();
            }
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
        await Task.WhenAll(_running.Values.Select(e => e.Task));
        _stopping.Dispose();
        _slots.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dream {DreamId} ended {Status}")]
    private static partial void Finished(ILogger logger, string dreamId, DreamStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dream {DreamId} stopped on an unexpected error")]
    private static partial void Crashed(ILogger logger, Exception exception, string dreamId);
}
