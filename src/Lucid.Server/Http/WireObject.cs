using System.Globalization;
using System.Text.Json;

namespace Lucid.Server.Http;

/// <summary>
/// Reads a JSON object of a request, field by field, with errors that name the field's full path
/// (<c>tools[0].configs[1].name</c>). Unknown fields are ignored, as the API does.
/// </summary>
internal readonly struct WireObject
{
    private readonly JsonElement _element;
    private readonly string _path;

    public WireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.Invalid(path.Length == 0 ? "body" : path, $"{(path.Length == 0 ? "The request body" : path)} must be a JSON object, not {Describe(element)}.");
        }

        _element = element;
        _path = path;
    }

    public JsonElement Element => _element;

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>Whether the field is present (null counts as present).</summary>
    public bool Has(string name) => _element.TryGetProperty(name, out _);

    /// <summary>Whether the field is present and null.</summary>
    public bool IsNull(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;

    public bool TryGet(string name, out JsonElement value) =>
        _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public string RequiredString(string name, int maxLength = int.MaxValue) =>
        String(name, maxLength) ?? throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} is required.");

    public string? String(string name, int maxLength = int.MaxValue)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be a string, not {Describe(value)}.");
        }

        var text = value.GetString() ?? "";
        return text.Length <= maxLength ? text
            : throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be at most {maxLength.ToString("N0", CultureInfo.InvariantCulture)} characters; it has {text.Length.ToString("N0", CultureInfo.InvariantCulture)}.");
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be true or false, not {Describe(value)}."),
        };
    }

    public int? Int(string name, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be an integer from {min} to {max}, not {Describe(value)}.");
        }

        return number;
    }

    /// <summary>An RFC 3339 timestamp; an absent or null field is null.</summary>
    public DateTimeOffset? Time(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time
            : throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be an RFC 3339 timestamp, not '{text}'.");
    }

    public WireObject? Object(string name) => TryGet(name, out var value) ? new WireObject(value, PathOf(name)) : null;

    public WireObject RequiredObject(string name) =>
        Object(name) ?? throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} is required.");

    /// <summary>The items of an array field with their paths; an absent or null field is empty.</summary>
    public IReadOnlyList<(JsonElement Item, string Path)> Array(string name, int maxItems = int.MaxValue)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be an array, not {Describe(value)}.");
        }

        var count = value.GetArrayLength();
        if (count > maxItems)
        {
            throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} may have at most {maxItems} items; it has {count}.");
        }

        var path = PathOf(name);
        return [.. value.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]"))];
    }

    /// <summary>A string-to-string map; an absent field is null.</summary>
    public Dictionary<string, string>? StringMap(string name)
    {
        var patch = StringMapPatch(name);
        if (patch is null)
        {
            return null;
        }

        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                throw RequestException.Invalid($"{PathOf(name)}.{key}", $"{PathOf(name)} values must be strings.");
            }
        }

        return patch.ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
    }

    /// <summary>A map whose null values mean "delete this key" (the API's metadata patch).</summary>
    public Dictionary<string, string?>? StringMapPatch(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.Invalid(PathOf(name), $"{PathOf(name)} must be an object of string values, not {Describe(value)}.");
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => throw RequestException.Invalid($"{PathOf(name)}.{property.Name}", $"{PathOf(name)} values must be strings, not {Describe(property.Value)}."),
            };
        }

        return map;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
