using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>
/// The names of the dream enums on the wire, in stores and in a dream's session, written out once here: the API, the
/// stores' JSON and columns, and the journal all use them, so renaming a C# member never changes what a client reads or
/// what a database already holds.
/// </summary>
public static class DreamNames
{
    private static readonly Names<DreamStatus> Statuses = new(
        (DreamStatus.Pending, "pending"),
        (DreamStatus.Running, "running"),
        (DreamStatus.Completed, "completed"),
        (DreamStatus.Failed, "failed"),
        (DreamStatus.Canceled, "canceled"));

    private static readonly Names<DreamOutputBehavior> OutputBehaviors = new(
        (DreamOutputBehavior.CreateNew, "create_new"),
        (DreamOutputBehavior.UpdateExisting, "update_existing"));

    private static readonly Names<DreamStage> Stages = new(
        (DreamStage.Start, "start"),
        (DreamStage.Digest, "digest"),
        (DreamStage.Mine, "mine"),
        (DreamStage.Reflect, "reflect"),
        (DreamStage.Curate, "curate"),
        (DreamStage.Apply, "apply"));

    private static readonly Names<DreamOperationKind> OperationKinds = new(
        (DreamOperationKind.Add, "add"),
        (DreamOperationKind.Update, "update"),
        (DreamOperationKind.Merge, "merge"),
        (DreamOperationKind.Retire, "retire"));

    /// <summary>The names of the statuses, in lifecycle order.</summary>
    public static IReadOnlyList<string> StatusNames => Statuses.All;

    /// <summary>The name of a status, such as <c>running</c>.</summary>
    public static string ToWire(this DreamStatus status) => Statuses.Name(status);

    /// <summary>The name of an output behavior, such as <c>create_new</c>.</summary>
    public static string ToWire(this DreamOutputBehavior behavior) => OutputBehaviors.Name(behavior);

    /// <summary>The name of a stage, such as <c>reflect</c>.</summary>
    public static string ToWire(this DreamStage stage) => Stages.Name(stage);

    /// <summary>The name of a curation operation, such as <c>retire</c>.</summary>
    internal static string ToWire(this DreamOperationKind kind) => OperationKinds.Name(kind);

    /// <summary>The status named <paramref name="name"/>; false when none is.</summary>
    public static bool TryParseStatus(string? name, out DreamStatus status) => Statuses.TryParse(name, out status);

    /// <summary>The output behavior named <paramref name="name"/>; false when none is.</summary>
    public static bool TryParseOutputBehavior(string? name, out DreamOutputBehavior behavior) => OutputBehaviors.TryParse(name, out behavior);

    /// <summary>The curation operation named <paramref name="name"/>; false when none is.</summary>
    internal static bool TryParseOperationKind(string? name, out DreamOperationKind kind) => OperationKinds.TryParse(name, out kind);

    /// <summary>Reads and writes <see cref="DreamStatus"/> by its name.</summary>
    internal sealed class StatusConverter() : NameConverter<DreamStatus>(Statuses);

    /// <summary>Reads and writes <see cref="DreamOutputBehavior"/> by its name.</summary>
    internal sealed class OutputBehaviorConverter() : NameConverter<DreamOutputBehavior>(OutputBehaviors);

    internal abstract class NameConverter<T>(Names<T> names) : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && names.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"Expected one of {string.Join(", ", names.All)} for {typeof(T).Name}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(names.Name(value));
        }
    }

    internal sealed class Names<T>
        where T : struct, Enum
    {
        private readonly Dictionary<T, string> _names = [];
        private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);

        public Names(params (T Value, string Name)[] names)
        {
            foreach (var (value, name) in names)
            {
                _names.Add(value, name);
                _values.Add(name, value);
            }

            All = [.. names.Select(n => n.Name)];
        }

        public IReadOnlyList<string> All { get; }

        public string Name(T value) =>
            _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no name for this value.");

        public bool TryParse(string? name, out T value)
        {
            value = default;
            return name is not null && _values.TryGetValue(name, out value);
        }
    }
}
