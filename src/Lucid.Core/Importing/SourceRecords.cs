using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Lucid.Importing;

/// <summary>
/// Splits a source into records. A source that parses as one JSON document is JSON: an array of records, or one record
/// (an object, or for chat transcripts an array of messages). Otherwise it is JSONL: one record per non-blank line.
/// </summary>
internal static class SourceRecords
{
    public static IEnumerable<SourceRecord> Read(ReadOnlyMemory<byte> source, Func<JsonElement, bool> isSingleRecord)
    {
        if (!TryParse(source, out var document, out var failure))
        {
            foreach (var record in ReadLines(source, failure))
            {
                yield return record;
            }

            yield break;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && !isSingleRecord(root))
            {
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    yield return new SourceRecord($"record {++index}", item, null);
                }
            }
            else
            {
                yield return new SourceRecord("record 1", root, null);
            }
        }
    }

    private static bool TryParse(ReadOnlyMemory<byte> source, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out JsonException? failure)
    {
        try
        {
            document = JsonDocument.Parse(source);
            failure = null;
            return true;
        }
        catch (JsonException e)
        {
            document = null;
            failure = e;
            return false;
        }
    }

    private static List<SourceRecord> ReadLines(ReadOnlyMemory<byte> source, JsonException whole)
    {
        var records = Lines(source, "");
        var bad = records.Count(r => r.Element is null);

        // Mostly unreadable lines means a JSON document with a syntax error, not JSONL: report the document's error.
        if (records.Count == 0 || bad * 2 > records.Count)
        {
            return [new SourceRecord("file", null, $"not valid JSON or JSONL: {whole.Message}")];
        }

        return records;
    }

    /// <summary>
    /// Every non-blank line of a JSONL source, parsed or with why it is not JSON. Positions read <c>line 7</c>, after the
    /// file's name when it has one (<c>abc.jsonl line 7</c>).
    /// </summary>
    public static List<SourceRecord> Lines(ReadOnlyMemory<byte> source, string fileName)
    {
        var lines = Encoding.UTF8.GetString(source.Span).Split('\n');
        var prefix = fileName.Length == 0 ? "" : fileName + " ";
        var records = new List<SourceRecord>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                records.Add(new SourceRecord($"{prefix}line {i + 1}", JsonElement.Parse(lines[i]), null));
            }
            catch (JsonException e)
            {
                records.Add(new SourceRecord($"{prefix}line {i + 1}", null, $"not valid JSON: {e.Message}"));
            }
        }

        return records;
    }
}

/// <summary>One record of a source, or why it could not be parsed.</summary>
internal readonly record struct SourceRecord(string Position, JsonElement? Element, string? Error);
