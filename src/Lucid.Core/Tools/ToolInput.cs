using System.Text.Json;

namespace Lucid.Tools;

/// <summary>Reads a tool's JSON input; a missing or mistyped field is an error result naming the field.</summary>
internal readonly struct ToolInput(string tool, JsonElement input)
{
    public string? String(string name, bool required, out ToolResult? error)
    {
        error = null;
        if (!input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = ToolResult.Fail($"{tool}: the input field '{name}' is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = ToolResult.Fail($"{tool}: the input field '{name}' must be a string.");
            return null;
        }

        return value.GetString();
    }

    public bool Bool(string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public long? Number(string name, out ToolResult? error)
    {
        error = null;
        if (!input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            error = ToolResult.Fail($"{tool}: the input field '{name}' must be an integer.");
            return null;
        }

        return number;
    }

    public long[]? Numbers(string name, out ToolResult? error)
    {
        error = null;
        if (!input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out _)))
        {
            error = ToolResult.Fail($"{tool}: the input field '{name}' must be an array of integers.");
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetInt64())];
    }

    public static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
