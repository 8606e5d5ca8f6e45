namespace Lucid.Importing;

/// <summary>What an import did with each record of its source: imported, skipped (and why), or malformed (and where).</summary>
public sealed record ImportReport
{
    /// <summary>The format read.</summary>
    public required string Format { get; init; }

    /// <summary>The source's name (usually the file name).</summary>
    public required string Source { get; init; }

    /// <summary>The workspace the sessions went into.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Records found in the source.</summary>
    public int Records { get; init; }

    /// <summary>The sessions created.</summary>
    public IReadOnlyList<ImportedRecord> Imported { get; init; } = [];

    /// <summary>Records skipped because they were imported before.</summary>
    public IReadOnlyList<SkippedRecord> Skipped { get; init; } = [];

    /// <summary>Records that could not be read, with their position and what is wrong.</summary>
    public IReadOnlyList<MalformedRecord> Malformed { get; init; } = [];

    /// <summary>
    /// Lines of session logs that carry nothing Lucid imports (file snapshots, UI events, turn settings), counted by
    /// their type; empty for the other formats.
    /// </summary>
    public IReadOnlyDictionary<string, int> Ignored { get; init; } = new Dictionary<string, int>();
}
