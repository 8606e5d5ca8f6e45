namespace Lucid.Dreams.Review;

/// <summary>
/// The review of a dream created with review required: the changes it proposes, each decided by a reviewer, and the
/// report as rendered when curation ended, which finishing completes with the decisions. Stored with the dream, so a
/// decision and the dream's status change in one atomic update and a restart keeps the review as it was.
/// </summary>
public sealed record DreamReview
{
    /// <summary>Where the review is.</summary>
    public DreamReviewState State { get; init; } = DreamReviewState.Proposing;

    /// <summary>The proposed changes, in the order curation gave them.</summary>
    public IReadOnlyList<DreamProposedChange> Changes { get; init; } = [];

    /// <summary>The report before its changes section, once proposed (redacted; its output line is filled in at finish).</summary>
    public string? ReportHead { get; init; }

    /// <summary>The report after its changes section, once proposed (redacted).</summary>
    public string? ReportTail { get; init; }

    /// <summary>Who finished the review, or null.</summary>
    public string? FinishedBy { get; init; }

    /// <summary>When the review was finished, or null.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The change with ID <paramref name="changeId"/>, or null.</summary>
    public DreamProposedChange? Find(string changeId) => Changes.FirstOrDefault(c => c.Id == changeId);
}
