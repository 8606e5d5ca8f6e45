using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lucid.Events;

/// <summary>
/// A field an update may or may not have changed: the default is "not changed", and is left out of the JSON; a change
/// is written as its new value, null included (a removed budget is <c>"budget": null</c>).
/// </summary>
[JsonConverter(typeof(ChangedConverterFactory))]
public readonly record struct Changed<T>
{
    /// <summary>A change to <paramref name="value"/>.</summary>
    public Changed(T value)
    {
        Value = value;
        IsChanged = true;
    }

    /// <summary>Whether the update changed the field.</summary>
    public bool IsChanged { get; }

    /// <summary>The field's new value; meaningful only when <see cref="IsChanged"/>.</summary>
    public T Value { get; }

    /// <summary>The new value when the field changed, else <paramref name="current"/>.</summary>
    public T Or(T current) => IsChanged ? Value : current;
}

/// <summary>Makes the converters of <see cref="Changed{T}"/>: a present JSON property, null or not, is a change.</summary>
public sealed class ChangedConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Changed<>);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var valueType = typeToConvert.GetGenericArguments()[0];
        return valueType == typeof(string) ? new ChangedConverter<string?>()
            : valueType == typeof(Sessions.SessionBudget) ? new ChangedConverter<Sessions.SessionBudget?>()
            : valueType == typeof(IReadOnlyDictionary<string, string>) ? new ChangedConverter<IReadOnlyDictionary<string, string>>()
            : throw new NotSupportedException($"Changed<{valueType.Name}> has no converter.");
    }

    private sealed class ChangedConverter<T> : JsonConverter<Changed<T>>
    {
        public override bool HandleNull => true;

        public override Changed<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.TokenType == JsonTokenType.Null ? default! : (T)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(typeof(T)))!);

        public override void Write(Utf8JsonWriter writer, Changed<T> value, JsonSerializerOptions options)
        {
            if (value.Value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, value.Value, options.GetTypeInfo(typeof(T)));
            }
        }
    }
}
