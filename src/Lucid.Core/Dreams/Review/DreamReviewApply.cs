using System.Globalization;
using Lucid.Dreams.Stages;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Secrets;
using Lucid.Storage;

namespace Lucid.Dreams.Review;

/// <summary>
/// Writes a finished review: the accepted changes and the report, in one atomic batch, to the output store — the input
/// for <c>update_existing</c>, else a new copy of the input made now (deleted again if the batch fails). The writes are
/// recorded in the dream's session as the apply stage records them.
/// </summary>
internal sealed class DreamReviewApply(ILucidStore store, MemoryService memory, EventHub events, DreamOptions options, SecretScanner known)
{
    /// <summary>The ID of the store written; or why nothing was written.</summary>
    public async Task<Result<string>> RunAsync(Dream dream, string finishedBy, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        var review = dream.Review ?? throw new InvalidOperationException($"Dream '{dream.Id}' has no review.");
        var sessionId = dream.SessionId ?? throw new InvalidOperationException($"Dream '{dream.Id}' has proposed changes but no session.");
        var secrets = await DreamPipeline.ScannerAsync(store, options, known, dream.WorkspaceId, cancellationToken);
        var run = new DreamRun(dream, DreamJournal.Open(events, secrets, sessionId), secrets, null);
        var accepted = review.Changes.Where(c => c.Decision == DreamDecision.Accepted).ToList();

        string outputId;
        if (dream.OutputBehavior == DreamOutputBehavior.UpdateExisting)
        {
            outputId = dream.InputStoreId;
        }
        else
        {
            var copied = await CopyInputAsync(run, cancellationToken);
            if (!copied.IsSuccess)
            {
                return copied.Error;
            }

            outputId = copied.Value;
        }

        var report = DreamReport.Assemble(dream with { OutputStoreId = outputId }, review.ReportHead ?? "", [.. review.Changes.Select(c => ForReport(c, finishedBy, finishedAt))], review.ReportTail ?? "", secrets);

        // Deletes first, then updates, then creates, as a curated plan orders them, so a retired path can be added again.
        var edits = accepted.SelectMany(c => c.Edits()).OrderBy(e => e.Kind switch { MemoryEditKind.Delete => 0, MemoryEditKind.Update => 1, _ => 2 })
            .Append(MemoryEdit.Create(dream.ReportPath, report)).ToList();
        var written = await new ApplyStage(run with { Dream = dream with { OutputStoreId = outputId } }, memory).WriteAsync(outputId, edits, cancellationToken);
        if (written.IsSuccess)
        {
            return outputId;
        }

        if (dream.OutputBehavior == DreamOutputBehavior.CreateNew)
        {
            await memory.DeleteStoreAsync(dream.WorkspaceId, outputId, CancellationToken.None);
        }

        await run.NoteAsync(DreamStage.Apply, $"Finishing the review wrote nothing: {written.Error.Message}", CancellationToken.None);
        return written.Error with
        {
            Message = $"The accepted changes could not be written, so none were and the review stays open: {written.Error.Message} A memory the dream read may have changed since it read it; cancel the dream and dream again over the store as it is now.",
        };
    }

    private async Task<Result<string>> CopyInputAsync(DreamRun run, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var input = await memory.GetStoreAsync(dream.WorkspaceId, dream.InputStoreId, cancellationToken);
        if (!input.IsSuccess)
        {
            return LucidError.Conflict($"The input memory store '{dream.InputStoreId}' cannot be read, so its copy cannot be made: {input.Error.Message}");
        }

        var memories = await memory.ReadAllAsync(dream.WorkspaceId, dream.InputStoreId, "/", includeContent: true, cancellationToken);
        if (!memories.IsSuccess)
        {
            return LucidError.Conflict($"The input memory store '{dream.InputStoreId}' cannot be read: {memories.Error.Message}");
        }

        try
        {
            var (outputId, _) = await new StartStage(run, memory, store).CopyAsync(input.Value, memories.Value, cancellationToken);
            return outputId;
        }
        catch (DreamFailedException ex)
        {
            return LucidError.Conflict($"The copy of the input memory store could not be made: {ex.Message}");
        }
    }

    private static DreamChange ForReport(DreamProposedChange change, string finishedBy, DateTimeOffset finishedAt) =>
        new(change.Op, change.Path, change.Sources, change.Reason, change.EventIds, [.. change.Replaces.Select(r => r.VersionId)])
        {
            Decision = change.Decision,
            Skill = change.Skill,
            ReviewNote = string.Create(CultureInfo.InvariantCulture,
                $"{change.Decision.ToWire()} as `{change.Id}` by {change.DecidedBy ?? finishedBy} at {(change.DecidedAt ?? finishedAt).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z.{(change.SkillId is { } skill ? $" Created as skill `{skill}` version `{change.SkillVersionId}`." : "")}"),
        };
}
