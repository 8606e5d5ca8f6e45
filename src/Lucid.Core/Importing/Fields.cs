using System.Text.Json;

namespace Lucid.Importing;

/// <summary>Reads fields of JSON entries that may lack them or hold another kind of value.</summary>
internal static class Fields
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool True(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public static JsonElement? Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : null;

    public static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    /// <summary>
    /// A tool's input as the API carries it, always an object: <paramref name="value"/> itself when it is one, else an
    /// object whose <paramref name="name"/> holds it (free-form input, arguments that do not parse as an object).
    /// </summary>
    public static JsonElement InputObject(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.Clone();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(name);
            value.WriteTo(writer);
            writer.WriteEndObject();
        }

        return JsonElement.Parse(buffer.ToArray());
    }

    /// <summary>A tool's free-form text input as an object: <c>{"NAME": "text"}</c>.</summary>
    public static JsonElement InputObject(string text, string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(name, text);
            writer.WriteEndObject();
        }

        return JsonElement.Parse(buffer.ToArray());
    }

    /// <summary>
    /// A tool call's arguments, sent as a JSON string that holds an object; other JSON, or text that does not parse,
    /// is kept under <c>arguments</c>.
    /// </summary>
    public static JsonElement Arguments(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return JsonElement.Parse("{}");
        }

        try
        {
            return InputObject(JsonElement.Parse(raw), "arguments");
        }
        catch (JsonException)
        {
            return InputObject(raw, "arguments");
        }
    }
}
