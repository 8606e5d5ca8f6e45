using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lucid.Testing.Server;

/// <summary>
/// Everything a server keeps in its data directory, as text: every row of every table of its SQLite database, or of its
/// PostgreSQL database (found in the schema, so a new table is never left out), and every other file and directory
/// under it, by path, size and SHA-256. Equal snapshots mean nothing the server keeps changed.
/// </summary>
public static class DataSnapshot
{
    /// <summary>Takes the snapshot of <paramref name="directory"/>, whose database is <paramref name="databasePath"/>.</summary>
    public static async Task<string> TakeAsync(string directory, string databasePath)
    {
        var text = new StringBuilder();
        await using (var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var table in await TablesAsync(connection))
            {
                text.Append("table ").Append(table).Append('\n');
                await AppendRowsAsync(connection, table, text);
            }
        }

        AppendFiles(directory, Path.GetFileName(databasePath), text);
        return text.ToString();
    }

    /// <summary>
    /// Takes the snapshot of <paramref name="directory"/> and the PostgreSQL database <paramref name="database"/> (an
    /// Npgsql connection string). Orleans' membership tables are left out: a cluster's nodes write their heartbeats there
    /// whatever a test does.
    /// </summary>
    public static async Task<string> TakePostgresAsync(string directory, string database)
    {
        var text = new StringBuilder();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT ILIKE 'orleans%' ORDER BY tablename", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                text.Append("table ").Append(table).Append('\n');
                // A row as one line of JSON (newlines in its values escaped), sorted as text.
                await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t ORDER BY 1", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    text.Append(reader.GetString(0)).Append('\n');
                }
            }
        }

        AppendFiles(directory, "lucid.db", text);
        return text.ToString();
    }

    private static async Task<List<string>> TablesAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    // Rows sorted as text, so the snapshot does not depend on the order SQLite happens to return them in.
    private static async Task AppendRowsAsync(SqliteConnection connection, string table, StringBuilder text)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(Value(reader, i)).Append('|');
            }

            rows.Add(row.ToString());
        }

        rows.Sort(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            text.Append(row).Append('\n');
        }
    }

    // One row per line, whatever its values hold.
    private static string Value(SqliteDataReader reader, int column) => reader.IsDBNull(column)
        ? "∅"
        : reader.GetValue(column) is byte[] bytes
            ? Convert.ToHexString(bytes)
            : (Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? "")
                .Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal)
                .Replace("\r", "\\r", StringComparison.Ordinal)
                .Replace("|", "\\|", StringComparison.Ordinal);

    // The database's own files are left out: their rows are compared above, while their bytes change with checkpoints
    // and read marks that change nothing.
    private static void AppendFiles(string directory, string databaseName, StringBuilder text)
    {
        var root = new DirectoryInfo(directory);
        var entries = root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(e => !(e is FileInfo && e.Name.StartsWith(databaseName, StringComparison.Ordinal) && Path.GetDirectoryName(e.FullName) == root.FullName))
            .Select(e => (Path: Path.GetRelativePath(root.FullName, e.FullName), Entry: e))
            .OrderBy(e => e.Path, StringComparer.Ordinal);
        foreach (var (path, entry) in entries)
        {
            if (entry is FileInfo file)
            {
                using var stream = file.OpenRead();
                text.Append(CultureInfo.InvariantCulture, $"file {path} {file.Length} {Convert.ToHexString(SHA256.HashData(stream))}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"directory {path}\n");
            }
        }
    }
}
