using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lucid.Sessions;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// How values are kept in columns: times as <c>timestamptz</c> (microseconds, UTC), records as JSON text kept byte for
/// byte, statuses as lower-case names.
/// </summary>
internal static class StoredValues
{
    // Npgsql writes a timestamptz only from UTC; PostgreSQL keeps whole microseconds.
    public static DateTimeOffset? Time(DateTimeOffset? time) => time?.ToUniversalTime();

    public static DateTimeOffset? ReadTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static T ReadJson<T>(NpgsqlDataReader reader, int ordinal, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(reader.GetString(ordinal), type) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is null.");

    // PostgreSQL's text cannot hold U+0000: text Lucid does not control (a webhook receiver's answer) keeps each NUL as U+FFFD.
    public static string? Text(string? value) => value?.Replace('\0', '\uFFFD');

    public static string Status(SessionStatus status) => status.ToString().ToLowerInvariant();
}
