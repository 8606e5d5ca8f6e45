using System.Text.RegularExpressions;
using Lucid.Results;

namespace Lucid.Validation;

/// <summary>The documented limits of the Managed Agents API, checked at the edge of every operation.</summary>
public static partial class Rules
{
    /// <summary>At most this many metadata pairs.</summary>
    public const int MaxMetadataPairs = 16;

    /// <summary>Metadata keys are at most this long.</summary>
    public const int MaxMetadataKeyLength = 64;

    /// <summary>Metadata values are at most this long.</summary>
    public const int MaxMetadataValueLength = 512;

    /// <summary>At most this many events at session creation.</summary>
    public const int MaxInitialEvents = 50;

    /// <summary>At most this many tools on an agent.</summary>
    public const int MaxTools = 256;

    /// <summary>An outcome's rubric is at most this long.</summary>
    public const int MaxRubricLength = 262_144;

    /// <summary>At most this many grader samples vote on an outcome's verdict.</summary>
    public const int MaxGraderSamples = 9;

    /// <summary>Names of agents and environments are at most this long.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Checks metadata against the pair, key and value limits.</summary>
    public static LucidError? Metadata(IReadOnlyDictionary<string, string>? metadata, string field = "metadata")
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MaxMetadataPairs)
        {
            return LucidError.Invalid(field, $"{field} has {metadata.Count} pairs; at most {MaxMetadataPairs} are allowed.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength)
            {
                return LucidError.Invalid($"{field}.{key}", $"{field} keys must be 1 to {MaxMetadataKeyLength} characters; '{Truncate(key)}' has {key.Length}.");
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                return LucidError.Invalid($"{field}.{key}", $"{field} values must be at most {MaxMetadataValueLength} characters; the value of '{key}' has {value?.Length ?? 0}.");
            }
        }

        return null;
    }

    /// <summary>Checks a required name.</summary>
    public static LucidError? Name(string? name, string field = "name") =>
        string.IsNullOrWhiteSpace(name) ? LucidError.Invalid(field, $"{field} is required and must not be blank.")
        : name.Length > MaxNameLength ? LucidError.Invalid(field, $"{field} must be at most {MaxNameLength} characters; it has {name.Length}.")
        : null;

    /// <summary>Checks a tool name: 1–128 letters, digits, underscores and hyphens.</summary>
    public static LucidError? ToolName(string? name, string field) =>
        name is not null && ToolNamePattern().IsMatch(name) ? null
        : LucidError.Invalid(field, $"{field} must be 1 to 128 letters, digits, underscores or hyphens; got '{Truncate(name ?? "")}'.");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex ToolNamePattern();
}
