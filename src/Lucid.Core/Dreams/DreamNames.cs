using Lucid.Dreams.Review;
using Lucid.Json;

namespace Lucid.Dreams;

/// <summary>
/// The names of the dream enums on the wire, in stores and in a dream's session (<see cref="WireNames{T}"/>): the API,
/// the stores' JSON and columns, and the journal all use them.
/// </summary>
public static class DreamNames
{
    private static readonly WireNames<DreamStatus> Statuses = new(
        (DreamStatus.Pending, "pending"),
        (DreamStatus.Running, "running"),
        (DreamStatus.Completed, "completed"),
        (DreamStatus.Failed, "failed"),
        (DreamStatus.Canceled, "canceled"));

    private static readonly WireNames<DreamOutputBehavior> OutputBehaviors = new(
        (DreamOutputBehavior.CreateNew, "create_new"),
        (DreamOutputBehavior.UpdateExisting, "update_existing"));

    private static readonly WireNames<DreamStage> Stages = new(
        (DreamStage.Start, "start"),
        (DreamStage.Digest, "digest"),
        (DreamStage.Mine, "mine"),
        (DreamStage.Reflect, "reflect"),
        (DreamStage.Curate, "curate"),
        (DreamStage.Validate, "validate"),
        (DreamStage.Apply, "apply"));

    private static readonly WireNames<DreamReviewState> ReviewStates = new(
        (DreamReviewState.Proposing, "proposing"),
        (DreamReviewState.Pending, "pending"),
        (DreamReviewState.Applying, "applying"),
        (DreamReviewState.Finished, "finished"));

    private static readonly WireNames<DreamDecision> Decisions = new(
        (DreamDecision.Pending, "pending"),
        (DreamDecision.Accepted, "accepted"),
        (DreamDecision.Rejected, "rejected"));

    private static readonly WireNames<DreamOperationKind> OperationKinds = new(
        (DreamOperationKind.Add, "add"),
        (DreamOperationKind.Update, "update"),
        (DreamOperationKind.Merge, "merge"),
        (DreamOperationKind.Retire, "retire"),
        (DreamOperationKind.AddSkill, "add_skill"));

    /// <summary>The names of the statuses, in lifecycle order.</summary>
    public static IReadOnlyList<string> StatusNames => Statuses.All;

    /// <summary>The name of a status, such as <c>running</c>.</summary>
    public static string ToWire(this DreamStatus status) => Statuses.Name(status);

    /// <summary>The name of an output behavior, such as <c>create_new</c>.</summary>
    public static string ToWire(this DreamOutputBehavior behavior) => OutputBehaviors.Name(behavior);

    /// <summary>The name of a stage, such as <c>reflect</c>.</summary>
    public static string ToWire(this DreamStage stage) => Stages.Name(stage);

    /// <summary>The name of a curation operation, such as <c>retire</c>.</summary>
    public static string ToWire(this DreamOperationKind kind) => OperationKinds.Name(kind);

    /// <summary>The name of a review state, such as <c>pending</c>.</summary>
    public static string ToWire(this DreamReviewState state) => ReviewStates.Name(state);

    /// <summary>The name of a decision on a proposed change, such as <c>accepted</c>.</summary>
    public static string ToWire(this DreamDecision decision) => Decisions.Name(decision);

    /// <summary>The status named <paramref name="name"/>; false when none is.</summary>
    public static bool TryParseStatus(string? name, out DreamStatus status) => Statuses.TryParse(name, out status);

    /// <summary>The output behavior named <paramref name="name"/>; false when none is.</summary>
    public static bool TryParseOutputBehavior(string? name, out DreamOutputBehavior behavior) => OutputBehaviors.TryParse(name, out behavior);

    /// <summary>The curation operation named <paramref name="name"/>; false when none is.</summary>
    internal static bool TryParseOperationKind(string? name, out DreamOperationKind kind) => OperationKinds.TryParse(name, out kind);

    /// <summary>Reads and writes <see cref="DreamStatus"/> by its name.</summary>
    internal sealed class StatusConverter() : WireNameConverter<DreamStatus>(Statuses);

    /// <summary>Reads and writes <see cref="DreamReviewState"/> by its name.</summary>
    internal sealed class ReviewStateConverter() : WireNameConverter<DreamReviewState>(ReviewStates);

    /// <summary>Reads and writes <see cref="DreamDecision"/> by its name.</summary>
    internal sealed class DecisionConverter() : WireNameConverter<DreamDecision>(Decisions);

    /// <summary>Reads and writes <see cref="DreamOperationKind"/> by its name.</summary>
    internal sealed class OperationKindConverter() : WireNameConverter<DreamOperationKind>(OperationKinds);

    /// <summary>Reads and writes <see cref="DreamOutputBehavior"/> by its name.</summary>
    internal sealed class OutputBehaviorConverter() : WireNameConverter<DreamOutputBehavior>(OutputBehaviors);
}
