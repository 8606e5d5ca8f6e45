using System.Globalization;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Dreams;

/// <summary>
/// Dreams' lifecycle at the edge: validation, create (with the <c>update_existing</c> hold taken atomically by the
/// store), cancel and archive. Running them is <see cref="DreamRunner"/>'s job.
/// </summary>
public sealed class DreamService
{
    /// <summary>The most sessions one dream reads.</summary>
    public const int MaxSessions = 100;

    /// <summary>The longest instructions.</summary>
    public const int MaxInstructionsLength = 4096;

    /// <summary>The longest model ID.</summary>
    public const int MaxModelLength = 256;

    private readonly ILucidStore _store;
    private readonly MemoryService _memory;
    private readonly IChatClientResolver _models;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public DreamService(ILucidStore store, MemoryService memory, IChatClientResolver models, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _memory = memory;
        _models = models;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Called with each dream created, so a runner can start it.</summary>
    public Action<Dream>? Created { get; set; }

    /// <summary>Called with each dream canceled, so a runner can stop it.</summary>
    public Action<Dream>? Canceled { get; set; }

    /// <summary>Validates a request and stores a pending dream; a store held by another <c>update_existing</c> dream is a conflict.</summary>
    public async Task<Result<Dream>> CreateAsync(string workspaceId, DreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Check(request) is { } error)
        {
            return error;
        }

        var store = await _memory.GetStoreAsync(workspaceId, request.MemoryStoreId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        if (store.Value.ArchivedAt is not null)
        {
            return LucidError.Invalid("memory_store_id", $"Memory store '{store.Value.Id}' is archived; a dream cannot read it.");
        }

        foreach (var id in request.SessionIds)
        {
            var session = IdPrefixes.Has(id, IdPrefixes.Session) ? await _store.GetSessionAsync(id, cancellationToken) : null;
            if (session is null || session.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Session", id);
            }
        }

        if (CheckModel(request.Model) is { } modelError)
        {
            return modelError;
        }

        var dream = new Dream
        {
            Id = _ids.NewId(IdPrefixes.Dream),
            WorkspaceId = workspaceId,
            InputStoreId = store.Value.Id,
            SessionIds = [.. request.SessionIds.Order(StringComparer.Ordinal)],
            Model = request.Model,
            Instructions = request.Instructions,
            OutputBehavior = request.OutputBehavior,
            Review = request.ReviewRequired ? new Review.DreamReview() : null,
            Validation = request.Validation is { } validation ? validation with { PlannedTrials = null, Lessons = [] } : null,
            CreatedAt = _time.GetUtcNow(),
        };
        if (await _store.CreateDreamAsync(dream, cancellationToken) is { } holder)
        {
            return new LucidError(ErrorKind.Conflict,
                $"target_store_held: memory store '{dream.InputStoreId}' is held by dream '{holder}', another update_existing dream that has not stopped. Wait for it to end or cancel it, then retry.",
                "output_behavior");
        }

        Created?.Invoke(dream);
        return dream;
    }

    /// <summary>Null when <paramref name="model"/> names a model a dream can run on; otherwise why not, naming <paramref name="field"/>.</summary>
    public LucidError? CheckModel(string model, string field = "model")
    {
        var resolved = _models.Resolve(model);
        return resolved.IsSuccess ? null : LucidError.Invalid(field, resolved.Error.Message);
    }

    /// <summary>A dream of the workspace.</summary>
    public async Task<Result<Dream>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var dream = IdPrefixes.Has(id, IdPrefixes.Dream) ? await _store.GetDreamAsync(id, cancellationToken) : null;
        return dream is null || dream.WorkspaceId != workspaceId ? LucidError.NotFound("Dream", id) : dream;
    }

    /// <summary>A page of the workspace's dreams, newest first.</summary>
    public Task<Page<Dream>> ListAsync(string workspaceId, DreamQuery query, PageRequest page, CancellationToken cancellationToken) =>
        _store.ListDreamsAsync(workspaceId, query, page with { Limit = Math.Clamp(page.Limit, 1, 100) }, cancellationToken);

    /// <summary>
    /// Stops a pending or running dream: it is <c>canceled</c> from now on. A canceled dream is returned unchanged; a
    /// completed or failed one cannot be canceled.
    /// </summary>
    public async Task<Result<Dream>> CancelAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var changed = false;
        var after = await _store.UpdateDreamAsync(id, d => (changed = !d.IsFinal) ? d with { Status = DreamStatus.Canceled, EndedAt = now } : null, cancellationToken);
        if (after is null)
        {
            return LucidError.NotFound("Dream", id);
        }

        if (after.Status is DreamStatus.Completed or DreamStatus.Failed)
        {
            return LucidError.Invalid("dream_id", $"Dream '{id}' is {after.Status.ToWire()}; only a pending or running dream can be canceled.");
        }

        // Only the request that canceled it stops the run; a repeated cancel finds it already stopped.
        if (changed)
        {
            Canceled?.Invoke(after);
        }

        return after;
    }

    /// <summary>Hides a stopped dream from default lists; archiving an archived dream returns it unchanged.</summary>
    public async Task<Result<Dream>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var after = await _store.UpdateDreamAsync(id, d => d.IsFinal && d.ArchivedAt is null ? d with { ArchivedAt = now } : null, cancellationToken);
        if (after is null)
        {
            return LucidError.NotFound("Dream", id);
        }

        return after.IsFinal
            ? after
            : LucidError.Invalid("dream_id", $"Dream '{id}' is {after.Status.ToWire()}; cancel it before archiving it.");
    }

    private static LucidError? Check(DreamRequest request)
    {
        if (request.SessionIds.Count is 0 or > MaxSessions)
        {
            return LucidError.Invalid("session_ids", string.Create(CultureInfo.InvariantCulture, $"session_ids must list 1 to {MaxSessions} sessions; it lists {request.SessionIds.Count}."));
        }

        if (request.SessionIds.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return LucidError.Invalid("session_ids", $"session_ids lists '{duplicate.Key}' more than once; list each session once.");
        }

        if (string.IsNullOrWhiteSpace(request.Model) || request.Model.Length > MaxModelLength)
        {
            return LucidError.Invalid("model", $"model must be a model ID of 1 to {MaxModelLength} characters.");
        }

        if (request.Instructions is { } instructions && (instructions.Length == 0 || instructions.Length > MaxInstructionsLength))
        {
            return LucidError.Invalid("instructions", string.Create(CultureInfo.InvariantCulture, $"instructions must be 1 to {MaxInstructionsLength:N0} characters; they have {instructions.Length:N0}."));
        }

        if (request.OutputBehavior == DreamOutputBehavior.UpdateExisting && request.UpdateStoreId != request.MemoryStoreId)
        {
            return LucidError.Invalid("output_behavior.memory_store_id", $"output_behavior.memory_store_id must be the input memory store '{request.MemoryStoreId}'.");
        }

        if (request.Validation?.Problem() is { } problem)
        {
            return LucidError.Invalid(problem.Field, problem.Message);
        }

        return null;
    }
}
