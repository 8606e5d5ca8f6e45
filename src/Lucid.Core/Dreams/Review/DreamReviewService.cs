using System.Globalization;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Secrets;
using Lucid.Storage;

namespace Lucid.Dreams.Review;

/// <summary>
/// The review of dreams created with review required (a Lucid extension): list a dream's proposed changes, accept or
/// reject each one once, and finish the review, which writes only the accepted changes and the report to the output
/// store. Every decision is one atomic update of the dream that also checks it still waits for review, so a decision
/// racing a finish or a cancel either lands before it or is refused.
/// </summary>
public sealed class DreamReviewService
{
    private readonly ILucidStore _store;
    private readonly DreamReviewApply _apply;
    private readonly DreamSkillAcceptance _skills;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The store holding dreams.</param>
    /// <param name="memory">Memory stores, through which the accepted changes are written.</param>
    /// <param name="events">Where the dream's session records the writes.</param>
    /// <param name="options">The dream settings (the secrets to keep out of the report).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="skills">The Skills API, through which an accepted <c>add_skill</c> change creates its skill; without it such a change cannot be accepted.</param>
    public DreamReviewService(ILucidStore store, MemoryService memory, EventHub events, DreamOptions? options = null, TimeProvider? timeProvider = null, Skills.SkillService? skills = null)
    {
        _skills = new DreamSkillAcceptance(skills);
        var settings = options ?? new DreamOptions();
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _apply = new DreamReviewApply(store, memory, events, settings, new SecretScanner(settings.KnownSecrets));
    }

    /// <summary>A dream's proposed changes with their decisions, in the order curation gave them (none while it is still proposing).</summary>
    public async Task<Result<IReadOnlyList<DreamProposedChange>>> ListChangesAsync(string workspaceId, string dreamId, CancellationToken cancellationToken)
    {
        var dream = await ReviewedAsync(workspaceId, dreamId, cancellationToken);
        return dream.IsSuccess ? Result<IReadOnlyList<DreamProposedChange>>.Ok(dream.Value.Review!.Changes) : dream.Error;
    }

    /// <summary>One proposed change of a dream.</summary>
    public async Task<Result<DreamProposedChange>> GetChangeAsync(string workspaceId, string dreamId, string changeId, CancellationToken cancellationToken)
    {
        var dream = await ReviewedAsync(workspaceId, dreamId, cancellationToken);
        return !dream.IsSuccess ? dream.Error
            : dream.Value.Review!.Find(changeId) is { } change ? change
            : LucidError.NotFound("Dream change", changeId);
    }

    /// <summary>
    /// Accepts or rejects one pending change of a dream waiting for review. A change is decided once: deciding it again,
    /// or deciding after the review was finished or the dream stopped, is a conflict and changes nothing. Accepting an
    /// <c>add_skill</c> change creates its skill first (or a new version of the workspace's skill of that name); when that
    /// fails the change stays pending and the error says why, and when the decision is then refused the skill is deleted again.
    /// </summary>
    /// <param name="workspaceId">The caller's workspace.</param>
    /// <param name="dreamId">The dream.</param>
    /// <param name="changeId">The change (<c>dchg_…</c>).</param>
    /// <param name="decision">Accepted or rejected.</param>
    /// <param name="decidedBy">Who decides: an API key ID, or a user of the CLI.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<Result<DreamProposedChange>> DecideAsync(
        string workspaceId, string dreamId, string changeId, DreamDecision decision, string decidedBy, CancellationToken cancellationToken)
    {
        if (decision == DreamDecision.Pending)
        {
            return LucidError.Invalid("decision", "decision must be accepted or rejected.");
        }

        var found = await ReviewedAsync(workspaceId, dreamId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        DreamSkillAcceptance.Created? created = null;
        if (decision == DreamDecision.Accepted && found.Value.AwaitsReview
            && found.Value.Review!.Find(changeId) is { Op: DreamOperationKind.AddSkill, Decision: DreamDecision.Pending, Skill: { } skill })
        {
            var made = await _skills.CreateAsync(workspaceId, skill, cancellationToken);
            if (!made.IsSuccess)
            {
                return made.Error;
            }

            created = made.Value;
        }

        Result<DreamProposedChange> recorded;
        try
        {
            // Once a skill exists, the decision is recorded whatever the caller does, or the skill is deleted again.
            recorded = await RecordAsync(dreamId, changeId, decision, decidedBy, created, created is null ? cancellationToken : CancellationToken.None);
        }
        catch (Exception) when (created is not null)
        {
            await _skills.UndoAsync(workspaceId, created, CancellationToken.None);
            throw;
        }

        // A skill created for a decision that did not land is deleted again: nothing of a refused decision stays.
        if (!recorded.IsSuccess && created is not null)
        {
            await _skills.UndoAsync(workspaceId, created, CancellationToken.None);
        }

        return recorded;
    }

    // One atomic update of the dream that records a decision if the change is still pending and the dream still waits.
    private async Task<Result<DreamProposedChange>> RecordAsync(
        string dreamId, string changeId, DreamDecision decision, string decidedBy, DreamSkillAcceptance.Created? created, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        LucidError? refused = null;
        DreamProposedChange? decided = null;
        await _store.UpdateDreamAsync(dreamId, d =>
        {
            (refused, decided) = (null, null);
            var change = d.Review?.Find(changeId);
            if (change is null)
            {
                refused = LucidError.NotFound("Dream change", changeId);
                return null;
            }

            if (change.Decision != DreamDecision.Pending)
            {
                refused = LucidError.Conflict($"Change '{changeId}' was already {change.Decision.ToWire()} by {change.DecidedBy}; a change is decided once.");
                return null;
            }

            if (!d.AwaitsReview)
            {
                refused = NotWaiting(d);
                return null;
            }

            decided = change with { Decision = decision, DecidedBy = decidedBy, DecidedAt = now, SkillId = created?.SkillId, SkillVersionId = created?.VersionId };
            return d with { Review = d.Review! with { Changes = [.. d.Review.Changes.Select(c => c.Id == changeId ? decided : c)] } };
        }, cancellationToken);
        return refused is not null ? refused : decided is not null ? decided : LucidError.NotFound("Dream", dreamId);
    }

    /// <summary>
    /// Finishes a dream's review: writes its accepted changes and its report (which lists what was accepted and what
    /// rejected) to the output store in one atomic batch — for <c>create_new</c>, a new copy of the input made now — and
    /// completes the dream. Refused while a change is still pending. When the writes fail (a memory the dream read has
    /// changed since), nothing is written and the review stays open; decisions being final, the way on is to cancel it.
    /// </summary>
    public async Task<Result<Dream>> FinishAsync(string workspaceId, string dreamId, string finishedBy, CancellationToken cancellationToken)
    {
        var found = await ReviewedAsync(workspaceId, dreamId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        // Claim the review: from now on no decision lands and no second finish starts.
        LucidError? refused = null;
        var claimed = await _store.UpdateDreamAsync(dreamId, d =>
        {
            refused = !d.AwaitsReview ? NotWaiting(d) : Undecided(d.Review!);
            return refused is null ? d with { Review = d.Review! with { State = DreamReviewState.Applying } } : null;
        }, cancellationToken);
        if (refused is not null || claimed is null)
        {
            return refused ?? LucidError.NotFound("Dream", dreamId);
        }

        Result<string> written;
        try
        {
            written = await _apply.RunAsync(claimed, finishedBy, _time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception)
        {
            await ReopenAsync(dreamId);
            throw;
        }

        if (!written.IsSuccess)
        {
            await ReopenAsync(dreamId);
            return written.Error;
        }

        // The writes are committed: the review is finished even if a cancel came meanwhile (the dream then stays canceled).
        var now = _time.GetUtcNow();
        return await _store.UpdateDreamAsync(dreamId, d => d.Review is { State: DreamReviewState.Applying } review
            ? d with
            {
                Status = d.Status == DreamStatus.Running ? DreamStatus.Completed : d.Status,
                EndedAt = d.EndedAt ?? now,
                OutputStoreId = written.Value,
                Review = review with { State = DreamReviewState.Finished, FinishedBy = finishedBy, FinishedAt = now },
            }
            : null, CancellationToken.None) ?? throw new KeyNotFoundException($"Dream '{dreamId}' does not exist.");
    }

    private async Task ReopenAsync(string dreamId) =>
        await _store.UpdateDreamAsync(dreamId, d => d.Review is { State: DreamReviewState.Applying } review ? d with { Review = review with { State = DreamReviewState.Pending } } : null, CancellationToken.None);

    // A dream of the workspace that was created with review required.
    private async Task<Result<Dream>> ReviewedAsync(string workspaceId, string dreamId, CancellationToken cancellationToken)
    {
        var dream = IdPrefixes.Has(dreamId, IdPrefixes.Dream) ? await _store.GetDreamAsync(dreamId, cancellationToken) : null;
        if (dream is null || dream.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Dream", dreamId);
        }

        return dream.Review is null
            ? LucidError.Conflict($"Dream '{dreamId}' was created without review; its changes were written as it ran. Create a dream with review required to review its changes.")
            : dream;
    }

    private static LucidError? Undecided(DreamReview review)
    {
        var pending = review.Changes.Where(c => c.Decision == DreamDecision.Pending).Select(c => c.Id).ToList();
        return pending.Count == 0 ? null : LucidError.Conflict(string.Create(CultureInfo.InvariantCulture,
            $"{pending.Count} proposed changes are still pending ({string.Join(", ", pending.Take(10))}{(pending.Count > 10 ? ", …" : "")}); accept or reject each one, then finish the review."));
    }

    private static LucidError NotWaiting(Dream d) => LucidError.Conflict(d switch
    {
        { Review.State: DreamReviewState.Finished } => $"The review of dream '{d.Id}' is finished; its decisions are final.",
        { Review.State: DreamReviewState.Applying } => $"The review of dream '{d.Id}' is being finished; its decisions are final.",
        { IsFinal: true } => $"Dream '{d.Id}' is {d.Status.ToWire()}; its review is closed and nothing of it was written.",
        _ => $"Dream '{d.Id}' is still proposing its changes; decide on them once its review is pending.",
    });
}
