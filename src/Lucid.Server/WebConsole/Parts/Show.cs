using System.Globalization;
using System.Text.Json;
using Lucid.Sessions;

namespace Lucid.Server.WebConsole.Parts;

/// <summary>How the console writes values: times, token counts, costs and enum names as the API spells them.</summary>
internal static class Show
{
    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (at is null ? "—" : " UTC");

    public static string Tokens(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cost(decimal? usd) => usd is { } d ? "$" + d.ToString(d < 0.01m ? "0.0000" : "0.00", CultureInfo.InvariantCulture) : "—";

    public static string Usage(SessionUsage usage) =>
        $"{Tokens(usage.InputTokens + usage.CacheReadInputTokens + usage.CacheCreationInputTokens)} in · {Tokens(usage.OutputTokens)} out";

    /// <summary>An enum member as the API names it (<c>NeedsRevision</c> → <c>needs_revision</c>).</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";
}
