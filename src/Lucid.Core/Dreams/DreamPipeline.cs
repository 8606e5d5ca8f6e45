using System.Text.Json.Nodes;
using Lucid.Dreams.Stages;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Secrets;
using Lucid.Storage;

namespace Lucid.Dreams;

/// <summary>
/// Runs one dream through its stages: start, digest and mine the sessions (no model), reflect into candidate lessons and
/// curate them into edits (the model, with structured JSON replies), validate each lesson by replay when the dream asks
/// (trial sessions), then apply the edits and the report to the output store in one atomic batch. Each stage takes the state the ones before it produced and returns the next; between
/// stages the pipeline checks that the dream is still running, so a cancel stops it at the next boundary.
/// </summary>
public sealed class DreamPipeline
{
    private readonly ILucidStore _store;
    private readonly MemoryService _memory;
    private readonly EventHub _events;
    private readonly IChatClientResolver _models;
    private readonly DreamOptions _options;
    private readonly SecretScanner _secrets;
    private readonly string _workRoot;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="store">The store holding dreams, sessions and memory.</param>
    /// <param name="memory">Memory stores, through which every write goes.</param>
    /// <param name="events">Where the dream's session events are committed and published.</param>
    /// <param name="models">Resolves the dream's model string.</param>
    /// <param name="options">Budget and limits.</param>
    /// <param name="workRoot">Where the dream's session gets its (empty) work directory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="ids">The ID source.</param>
    public DreamPipeline(
        ILucidStore store, MemoryService memory, EventHub events, IChatClientResolver models, DreamOptions? options, string workRoot, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _memory = memory;
        _events = events;
        _models = models;
        _options = options ?? new DreamOptions();
        _secrets = new SecretScanner(_options.KnownSecrets);
        _workRoot = workRoot;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>What the validate stage replays lessons with; null on a host that cannot run sessions (a dream asking for validation then fails).</summary>
    public Validation.LessonReplay? Replay { get; init; }

    /// <summary>The pipeline's settings.</summary>
    public DreamOptions Options => _options;

    /// <summary>
    /// Runs a pending dream to its end and returns it as stored; a dream created with review required ends its run
    /// <c>running</c>, its changes proposed and waiting for a reviewer. A dream that is no longer pending is returned as it is.
    /// Cancellation of <paramref name="cancellationToken"/> stops the work; the dream's status is then whatever a cancel
    /// request set, or <c>canceled</c> with <see cref="DreamOptions.CancelWhenStopped"/>, or else still <c>running</c>
    /// (the process is stopping, for recovery to settle).
    /// </summary>
    public async Task<Dream> RunAsync(string dreamId, IProgress<DreamProgress>? progress, CancellationToken cancellationToken)
    {
        // Not cancellable: a claim that lands after the token fired would otherwise leave the dream running with no one to end it.
        var claimed = await _store.UpdateDreamAsync(dreamId, d => d.Status == DreamStatus.Pending ? d with { Status = DreamStatus.Running } : null, CancellationToken.None)
            ?? throw new KeyNotFoundException($"Dream '{dreamId}' does not exist.");
        if (claimed.Status != DreamStatus.Running)
        {
            return claimed;
        }

        // What the failure path needs: the run once its session exists, and the report of the last stage that ended.
        DreamRun? run = null;
        DreamReport? reached = null;
        try
        {
            var client = DreamFailedException.Unwrap(_models.Resolve(claimed.Model), "model_error");
            var secrets = await ScannerAsync(claimed.WorkspaceId, cancellationToken);
            var journal = await DreamJournal.CreateAsync(_store, _events, claimed, _workRoot, secrets, _time, _ids, cancellationToken);
            await _store.UpdateDreamAsync(dreamId, d => d with { SessionId = journal.SessionId }, cancellationToken);
            run = new DreamRun(claimed with { SessionId = journal.SessionId }, journal, secrets, progress);
            var model = new DreamModel(client, run, _store);

            var started = await StepAsync(new StartStage(run, _memory, _store).RunAsync(cancellationToken));
            var digested = await StepAsync(new DigestStage(run, _store).RunAsync(started, cancellationToken));
            var mined = await StepAsync(new MineStage(run).RunAsync(digested, cancellationToken));
            var reflected = await StepAsync(new ReflectStage(run, model, _memory, _options).RunAsync(mined, cancellationToken));
            var curated = await StepAsync(new CurateStage(run, model, _options).RunAsync(reflected, cancellationToken));
            if (claimed.Validation is not null)
            {
                curated = await StepAsync(new ValidateStage(run, _store, _memory, Replay, reflected.Evidence).RunAsync(curated, cancellationToken));
            }

            if (claimed.Review is not null)
            {
                return await new ProposeStage(run, _store, _ids).RunAsync(curated, cancellationToken);
            }

            await new ApplyStage(run, _memory).RunAsync(curated, cancellationToken);
            return await FinishAsync(dreamId, d => d with { Status = DreamStatus.Completed, EndedAt = _time.GetUtcNow() });
        }
        catch (OperationCanceledException)
        {
            await NoteAsync(run, progress, "Stopped: the dream was canceled (or the server is stopping). What it wrote before stays in the output store.");
            if (_options.CancelWhenStopped && cancellationToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                return await _store.UpdateDreamAsync(dreamId, d => d.IsFinal ? null : d with { Status = DreamStatus.Canceled, EndedAt = now }, CancellationToken.None) ?? claimed;
            }

            return await _store.GetDreamAsync(dreamId, CancellationToken.None) ?? claimed;
        }
        catch (Exception ex)
        {
            // Any failure ends the dream as failed with its reason; the caller gets the dream, not an exception.
            var failure = DreamFailedException.From(ex);
            var error = failure.ToError(_secrets);
            await KeepPartialAsync(run, progress, failure.Report ?? reached, error);
            return await FinishAsync(dreamId, d => d with { Status = DreamStatus.Failed, Error = error, EndedAt = _time.GetUtcNow() });
        }

        async Task<T> StepAsync<T>(Task<T> stage)
            where T : IDreamState
        {
            var state = await stage;
            reached = state.Report;
            await CheckAsync(dreamId, cancellationToken);
            return state;
        }
    }

    // Only a running dream moves to a final status; a cancel that came first wins.
    private async Task<Dream> FinishAsync(string dreamId, Func<Dream, Dream> change) =>
        await _store.UpdateDreamAsync(dreamId, d => d.Status == DreamStatus.Running ? change(d) : null, CancellationToken.None)
            ?? throw new KeyNotFoundException($"Dream '{dreamId}' does not exist.");

    private async Task CheckAsync(string dreamId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = await _store.GetDreamAsync(dreamId, cancellationToken);
        if (current is null || current.Status != DreamStatus.Running)
        {
            throw new OperationCanceledException($"Dream '{dreamId}' is no longer running.");
        }
    }

    /// <summary>After a failure: records it and, when the output store is settled, writes what was done as the report.</summary>
    private async Task KeepPartialAsync(DreamRun? run, IProgress<DreamProgress>? progress, DreamReport? reached, DreamError error)
    {
        try
        {
            await NoteAsync(run, progress, $"Failed ({error.Type}): {error.Message}");
            // A dream under review writes nothing to any store before its review is finished, not even a failure report.
            if (run is null || run.Dream.Review is not null || reached?.Dream.OutputStoreId is not { } outputId)
            {
                return;
            }

            var dream = run.Dream;
            var written = await _memory.WriteAtPathAsync(dream.WorkspaceId, outputId, dream.ReportPath, reached.Render(error, run.Secrets), null, run.Actor, CancellationToken.None);
            if (written.IsSuccess)
            {
                await run.Journal.ToolAsync("write_memory", new JsonObject { ["memory_store_id"] = outputId, ["path"] = written.Value.Path },
                    $"Wrote the report of the failed dream: version {written.Value.VersionId}.", CancellationToken.None);
            }
        }
        catch (Exception)
        {
            // Keeping partial progress is best effort; the dream still ends failed with its first error.
        }
    }

    // The end of a run is noted under the apply stage, in the session once there is one.
    private static Task NoteAsync(DreamRun? run, IProgress<DreamProgress>? progress, string text)
    {
        if (run is not null)
        {
            return run.NoteAsync(DreamStage.Apply, text, CancellationToken.None);
        }

        progress?.Report(new DreamProgress(DreamStage.Apply, text));
        return Task.CompletedTask;
    }

    private Task<SecretScanner> ScannerAsync(string workspaceId, CancellationToken cancellationToken) =>
        ScannerAsync(_store, _options, _secrets, workspaceId, cancellationToken);

    /// <summary>The host's secrets, and the secrets of the dream's workspace's vaults as they are now.</summary>
    internal static async Task<SecretScanner> ScannerAsync(ILucidStore store, DreamOptions options, SecretScanner known, string workspaceId, CancellationToken cancellationToken) =>
        options.VaultKey is { } key
            ? new SecretScanner([.. options.KnownSecrets, .. await Vaults.VaultSecrets.OfWorkspaceAsync(store, key, workspaceId, cancellationToken)])
            : known;
}
