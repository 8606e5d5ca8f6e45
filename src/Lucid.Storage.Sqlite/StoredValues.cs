using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lucid.Sessions;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>How values are kept in columns: times as fixed-width UTC text, records as JSON, statuses as lower-case names.</summary>
internal static class StoredValues
{
    // Fixed-width UTC text: sorts in time order, and reads back exactly.
    public static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // Read as the UTF-8 bytes SQLite holds: a string would be decoded from them only to be encoded back for the parser.
    public static T ReadJson<T>(SqliteDataReader reader, int ordinal, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(ordinal), type) ?? throw Null<T>();

    public static T Deserialize<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw Null<T>();

    private static InvalidDataException Null<T>() => new($"A stored {typeof(T).Name} is null.");

    public static string Status(SessionStatus status) => status.ToString().ToLowerInvariant();
}
