using Lucid.Json;

namespace Lucid.Evals;

/// <summary>The names of the eval enums on the wire and in stores (<see cref="WireNames{T}"/>).</summary>
public static class EvalNames
{
    private static readonly WireNames<EvalRunStatus> Statuses = new(
        (EvalRunStatus.Pending, "pending"),
        (EvalRunStatus.Running, "running"),
        (EvalRunStatus.Completed, "completed"),
        (EvalRunStatus.Failed, "failed"));

    private static readonly WireNames<EvalArmKind> ArmKinds = new(
        (EvalArmKind.None, "none"),
        (EvalArmKind.MemoryStore, "memory_store"),
        (EvalArmKind.MemoryVersion, "memory_version"),
        (EvalArmKind.Dream, "dream"),
        (EvalArmKind.DreamProposed, "dream_proposed"));

    /// <summary>The name of a status, such as <c>running</c>.</summary>
    public static string ToWire(this EvalRunStatus status) => Statuses.Name(status);

    /// <summary>The name of an arm kind, such as <c>memory_version</c>.</summary>
    public static string ToWire(this EvalArmKind kind) => ArmKinds.Name(kind);

    /// <summary>Reads and writes <see cref="EvalRunStatus"/> by its name.</summary>
    internal sealed class StatusConverter() : WireNameConverter<EvalRunStatus>(Statuses);

    /// <summary>Reads and writes <see cref="EvalArmKind"/> by its name.</summary>
    internal sealed class ArmKindConverter() : WireNameConverter<EvalArmKind>(ArmKinds);
}
