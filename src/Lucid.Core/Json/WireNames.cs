using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lucid.Json;

/// <summary>
/// The names of an enum's values as the API, the stores and the logs spell them, written out once, so renaming a C#
/// member never changes what a client reads or what a database already holds.
/// </summary>
internal sealed class WireNames<T>
    where T : struct, Enum
{
    private readonly Dictionary<T, string> _names = [];
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);

    public WireNames(params (T Value, string Name)[] names)
    {
        foreach (var (value, name) in names)
        {
            _names.Add(value, name);
            _values.Add(name, value);
        }

        All = [.. names.Select(n => n.Name)];
    }

    /// <summary>Every name, in declaration order.</summary>
    public IReadOnlyList<string> All { get; }

    public string Name(T value) =>
        _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no name for this value.");

    public bool TryParse(string? name, out T value)
    {
        value = default;
        return name is not null && _values.TryGetValue(name, out value);
    }
}

/// <summary>Reads and writes an enum by its <see cref="WireNames{T}"/> name.</summary>
internal abstract class WireNameConverter<T>(WireNames<T> names) : JsonConverter<T>
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
