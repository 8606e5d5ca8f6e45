using System.Globalization;
using Lucid.Dreams.Review;
using Lucid.Ids;
using Lucid.Storage;

namespace Lucid.Dreams.Stages;

/// <summary>
/// Instead of the apply stage, for a dream created with review required: stores the curated changes, each with an ID,
/// what it would write and what it replaces, and the report around its changes section; then the dream waits, still
/// <c>running</c>, for a reviewer (<see cref="DreamReviewService"/>). Nothing is written to any memory store.
/// </summary>
internal sealed class ProposeStage(DreamRun run, ILucidStore store, IdGenerator ids)
{
    public async Task<Dream> RunAsync(CuratedDream curated, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        IReadOnlyList<DreamProposedChange> changes = [.. curated.Plan.Changes.Select(c => new DreamProposedChange
        {
            Id = ids.NewId(IdPrefixes.DreamChange),
            Op = c.Op,
            Path = c.Path,
            Sources = c.Sources,
            Reason = c.Reason,
            EventIds = c.EventIds,
            Content = c.Content,
            Replaces = c.Replaces,
            Skill = c.Skill,
        })];

        // The report's head says what the dream will have done once the review is finished.
        var (head, tail) = (curated.Report with { Changes = [] }).Done(DreamStage.Apply).RenderForReview(run.Secrets);
        var proposed = await store.UpdateDreamAsync(dream.Id, d => d.Status == DreamStatus.Running && d.Review is { State: DreamReviewState.Proposing } review
            ? d with { Review = review with { State = DreamReviewState.Pending, Changes = changes, ReportHead = head, ReportTail = tail } }
            : null, CancellationToken.None) ?? throw new KeyNotFoundException($"Dream '{dream.Id}' does not exist.");
        if (proposed.AwaitsReview)
        {
            await run.NoteAsync(DreamStage.Apply, string.Create(CultureInfo.InvariantCulture,
                $"Waiting for review: {changes.Count} proposed changes ({string.Join(", ", changes.Select(c => $"{c.Id} {c.Op.ToWire()} {c.Path}"))}). Nothing is written until the review is finished."),
                cancellationToken);
        }

        return proposed;
    }
}
