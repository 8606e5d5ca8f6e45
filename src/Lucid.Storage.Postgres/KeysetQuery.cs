using System.Globalization;
using System.Text;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// A paged list: <c>SELECT … WHERE filters AND (after the cursor) ORDER BY the sort key LIMIT n + 1</c>. The sort key is
/// one integer column (a version or sequence number) or a time column with an ID to break ties; its columns are selected
/// after the caller's, so the next page's cursor is read from the stored values. Cursors are opaque (base64url of
/// <c>#number</c> or <c>ticks|id</c>); one this store did not produce is an <see cref="ArgumentException"/>.
/// </summary>
internal sealed class KeysetQuery
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;
    private readonly string _columns;
    private readonly string _from;
    private readonly string[] _key;
    private readonly bool _descending;
    private readonly int _limit;
    private readonly List<string> _where = [];
    private readonly List<(string Name, object? Value)> _parameters = [];

    private KeysetQuery(string columns, string from, string[] key, bool descending, PageRequest page)
    {
        _columns = columns;
        _from = from;
        _key = key;
        _descending = descending;
        _limit = Math.Clamp(page.Limit, 1, 1000);
        if (page.PageCursor is { } cursor)
        {
            AfterCursor(cursor);
        }
    }

    /// <summary>Sorted by <c>created_at</c>, then <c>id</c> (column names with an optional table alias prefix).</summary>
    public static KeysetQuery ByCreation(string columns, string from, PageRequest page, bool descending = true, string alias = "") =>
        new(columns, from, [alias + "created_at", alias + "id"], descending, page);

    /// <summary>Sorted by one integer column.</summary>
    public static KeysetQuery ByNumber(string columns, string from, string column, PageRequest page, bool descending) =>
        new(columns, from, [column], descending, page);

    /// <summary>Adds a filter; its parameters are bound by name.</summary>
    public KeysetQuery Where(string condition, params (string Name, object? Value)[] parameters)
    {
        _where.Add(condition);
        _parameters.AddRange(parameters);
        return this;
    }

    /// <summary>Adds <c>column = ANY (…)</c> when <paramref name="values"/> has any; none means no filter.</summary>
    public KeysetQuery WhereIn(string column, IEnumerable<string>? values)
    {
        var list = values?.ToArray() ?? [];
        return list.Length == 0 ? this : Where($"{column} = ANY ({Parameter(column)}_in)", ($"{Parameter(column)}_in", list));
    }

    /// <summary>Adds the time bounds that are set: after (&gt;), at or after (&gt;=), before (&lt;), at or before (&lt;=).</summary>
    public KeysetQuery WhereTime(string column, DateTimeOffset? after, DateTimeOffset? atOrAfter, DateTimeOffset? before, DateTimeOffset? atOrBefore)
    {
        // The API writes times to the microsecond, as PostgreSQL keeps them: "at or before t" takes everything in t's
        // microsecond, "after t" starts at the next one. Each is a plain range on the column, so indexes serve it.
        foreach (var (time, op, suffix, nextMicrosecond) in new[]
        {
            (after, ">=", "gt", true), (atOrAfter, ">=", "gte", false), (before, "<", "lt", false), (atOrBefore, "<", "lte", true),
        })
        {
            if (time is { } t)
            {
                var microsecond = t.AddTicks(-(t.Ticks % TicksPerMicrosecond));
                var name = $"{Parameter(column)}_{suffix}";
                Where($"{column} {op} {name}", (name, StoredValues.Time(nextMicrosecond ? microsecond.AddTicks(TicksPerMicrosecond) : microsecond)));
            }
        }

        return this;
    }

    /// <summary>Reads one page.</summary>
    public async Task<Page<T>> ReadAsync<T>(NpgsqlConnection connection, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var direction = _descending ? "DESC" : "ASC";
        var sql = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"SELECT {_columns}, {string.Join(", ", _key)} FROM {_from}")
            .Append(_where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _where))
            .Append(CultureInfo.InvariantCulture, $" ORDER BY {string.Join(", ", _key.Select(k => $"{k} {direction}"))} LIMIT @limit")
            .ToString();
        await using var command = PostgresCommands.Command(connection, sql, _parameters.Append(("@limit", _limit + 1)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        var lastKey = "";
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == _limit)
            {
                // A row past the page: another page follows, after the page's last key.
                return new Page<T>(items, Encode(lastKey));
            }

            items.Add(read(reader));
            if (items.Count == _limit)
            {
                lastKey = KeyText(reader, reader.FieldCount - _key.Length);
            }
        }

        return new Page<T>(items, null);
    }

    // A parameter name made from a column name ("a.created_at" → "@a_created_at").
    private static string Parameter(string column) => "@" + column.Replace('.', '_');

    private string KeyText(NpgsqlDataReader reader, int firstKey) => _key.Length == 1
        ? "#" + reader.GetInt64(firstKey).ToString(CultureInfo.InvariantCulture)
        : $"{reader.GetFieldValue<DateTimeOffset>(firstKey).UtcTicks.ToString(CultureInfo.InvariantCulture)}|{reader.GetString(firstKey + 1)}";

    // Rows strictly after the cursor's key in the sort order: for (a, b), a beyond it, or a equal and b beyond it.
    private void AfterCursor(string cursor)
    {
        var text = Decode(cursor);
        var compare = _descending ? "<" : ">";
        if (_key.Length == 1)
        {
            if (!text.StartsWith('#') || !long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw NotACursor(cursor);
            }

            Where($"{_key[0]} {compare} @after0", ("@after0", number));
            return;
        }

        var parts = text.Split('|', 2);
        if (parts.Length != 2 || parts[1].Length == 0
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw NotACursor(cursor);
        }

        var time = new DateTimeOffset(ticks, TimeSpan.Zero);
        Where($"({_key[0]} {compare} @after0 OR ({_key[0]} = @after0 AND {_key[1]} {compare} @after1))", ("@after0", time), ("@after1", parts[1]));
    }

    private static string Encode(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Decode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw NotACursor(cursor);
        }
    }

    private static ArgumentException NotACursor(string cursor) => new($"'{cursor}' is not a page cursor of this store.", nameof(cursor));
}
