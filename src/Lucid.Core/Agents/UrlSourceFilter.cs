using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>Which tools' results contribute URLs <c>web_fetch</c> may fetch: all, none, only the named, or all but the named.</summary>
/// <param name="Kind">How <paramref name="Tools"/> is read.</param>
/// <param name="Tools">The named tools (1–128, distinct) for <see cref="UrlSourceFilterKind.Only"/> and <see cref="UrlSourceFilterKind.Except"/>; empty otherwise.</param>
public sealed record UrlSourceFilter(UrlSourceFilterKind Kind, IReadOnlyList<string> Tools)
{
    /// <summary>The most tools a list may name.</summary>
    public const int MaxTools = 128;

    /// <summary>Every tool's results contribute.</summary>
    public static UrlSourceFilter All { get; } = new(UrlSourceFilterKind.All, []);

    /// <summary>No tool's results contribute.</summary>
    public static UrlSourceFilter None { get; } = new(UrlSourceFilterKind.None, []);

    /// <summary>Whether <paramref name="tool"/>'s results contribute (names compared exactly).</summary>
    public bool Allows(string tool) => Kind switch
    {
        UrlSourceFilterKind.All => true,
        UrlSourceFilterKind.Only => Tools.Contains(tool, StringComparer.Ordinal),
        UrlSourceFilterKind.Except => !Tools.Contains(tool, StringComparer.Ordinal),
        _ => false,
    };
}

/// <summary>How a <see cref="UrlSourceFilter"/> reads its tool list.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UrlSourceFilterKind>))]
public enum UrlSourceFilterKind
{
    /// <summary>Every tool.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>No tool.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Only the named tools.</summary>
    [JsonStringEnumMemberName("only")]
    Only,

    /// <summary>Every tool but the named ones.</summary>
    [JsonStringEnumMemberName("except")]
    Except,
}
