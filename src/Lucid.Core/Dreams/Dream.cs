using System.Text.Json.Serialization;
using Lucid.Dreams.Review;
using Lucid.Sessions;

namespace Lucid.Dreams;

/// <summary>
/// A background job that reads a memory store and past sessions and writes a reorganized store: lessons traceable to the
/// sessions and events they came from, and a report of what changed and why.
/// </summary>
public sealed record Dream
{
    /// <summary>Where dreams write their reports in their output stores; curation never writes there and the budget does not count it.</summary>
    public const string ReportsPrefix = "/dreams/";

    /// <summary>The dream's ID (<c>drm_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>Its lifecycle state.</summary>
    public DreamStatus Status { get; init; } = DreamStatus.Pending;

    /// <summary>The memory store it reads (and, with <see cref="DreamOutputBehavior.UpdateExisting"/>, writes).</summary>
    public required string InputStoreId { get; init; }

    /// <summary>The sessions it reads, sorted.</summary>
    public required IReadOnlyList<string> SessionIds { get; init; }

    /// <summary>The model string that runs every stage, such as <c>anthropic/claude-sonnet-4-5</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Guidance from the caller, or null.</summary>
    public string? Instructions { get; init; }

    /// <summary>Where the result goes.</summary>
    public DreamOutputBehavior OutputBehavior { get; init; } = DreamOutputBehavior.CreateNew;

    /// <summary>The store holding the result once the dream records it, or null.</summary>
    public string? OutputStoreId { get; init; }

    /// <summary>The session whose events show what the dream read and wrote, once it started; or null.</summary>
    public string? SessionId { get; init; }

    /// <summary>Tokens used by the dream's model calls so far.</summary>
    public SessionUsage Usage { get; init; } = SessionUsage.Zero;

    /// <summary>Why it failed, or null.</summary>
    public DreamError? Error { get; init; }

    /// <summary>
    /// Its review, when it was created with review required (a Lucid extension): it then stops after curation with its
    /// proposed changes, and writes only the accepted ones when the review is finished. Null for a dream that writes
    /// its changes straight away.
    /// </summary>
    public DreamReview? Review { get; init; }

    /// <summary>
    /// Lesson validation by replay, when the dream was created with it (a Lucid extension): its settings and, once the
    /// validate stage ran, each lesson's measured lift. Null for a dream that does not validate.
    /// </summary>
    public Validation.DreamValidation? Validation { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached a final status, or null.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When it was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>The store this dream holds against other <c>update_existing</c> dreams, or null for <c>create_new</c>.</summary>
    [JsonIgnore]
    public string? HeldStoreId => OutputBehavior == DreamOutputBehavior.UpdateExisting ? InputStoreId : null;

    /// <summary>The path of its report in its output store.</summary>
    [JsonIgnore]
    public string ReportPath => $"{ReportsPrefix}{Id}.md";

    /// <summary>Whether its status is final.</summary>
    [JsonIgnore]
    public bool IsFinal => Status is DreamStatus.Completed or DreamStatus.Failed or DreamStatus.Canceled;

    /// <summary>Whether it waits for a reviewer: running, with its changes proposed and the review not finished.</summary>
    [JsonIgnore]
    public bool AwaitsReview => Status == DreamStatus.Running && Review?.State == DreamReviewState.Pending;

    /// <summary>Whether <paramref name="path"/> is where dreams write reports.</summary>
    public static bool IsReportPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(ReportsPrefix, StringComparison.Ordinal);
    }
}
