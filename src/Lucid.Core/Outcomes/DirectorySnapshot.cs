using System.Globalization;
using System.Security.Cryptography;
using Lucid.Events;

namespace Lucid.Outcomes;

/// <summary>
/// The files of a directory (size and content hash) at one moment, in ordinal path order, to tell what an agent changed
/// since. An outcome's baseline is bounded: past <see cref="MaxFiles"/> files or <see cref="MaxPathChars"/> characters of
/// paths it records only the first, and only changes among paths up to its last are told.
/// </summary>
internal sealed class DirectorySnapshot
{
    /// <summary>The most files a baseline records.</summary>
    public const int MaxFiles = 10_000;

    /// <summary>The most characters of paths a baseline records, so that long paths cannot make it large.</summary>
    public const int MaxPathChars = 1_000_000;

    private const long MaxHashedBytes = 16 * 1024 * 1024;
    private readonly Dictionary<string, BaselineFile> _byPath;

    private DirectorySnapshot(IReadOnlyList<BaselineFile> files, int fileCount)
    {
        Files = [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)];
        FileCount = fileCount;
        _byPath = Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>A snapshot with no files: everything found later counts as added.</summary>
    public static DirectorySnapshot Empty { get; } = new([], 0);

    /// <summary>The files recorded, in ordinal path order.</summary>
    public IReadOnlyList<BaselineFile> Files { get; }

    /// <summary>How many files the directory held, recorded or not.</summary>
    public int FileCount { get; }

    /// <summary>Whether every file of the directory is recorded.</summary>
    public bool IsComplete => Files.Count == FileCount;

    // The last path whose changes can be told: beyond it, the snapshot does not know what was there.
    private string? CoveredThrough => IsComplete ? null : Files.Count > 0 ? Files[^1].Path : "";

    /// <summary>
    /// What a reader of the changes should know when the snapshot does not record every file, or null: that only the
    /// paths up to its last are covered.
    /// </summary>
    public string? CoverageNote => IsComplete ? null : string.Create(
        CultureInfo.InvariantCulture,
        $"The directory held {FileCount:N0} files when the outcome began, more than Lucid records; only changes to the first {Files.Count:N0} paths in ordinal order (up to '{CoveredThrough}') are listed.");

    /// <summary>Takes an outcome's baseline: the directory's first files in ordinal path order, at most <paramref name="maxFiles"/> and <paramref name="maxPathChars"/> characters of paths.</summary>
    public static DirectorySnapshot Baseline(string root, int maxFiles = MaxFiles, int maxPathChars = MaxPathChars) =>
        Take(root, through: null, maxFiles, maxPathChars);

    /// <summary>The baseline an <see cref="OutcomeBaselineEvent"/> recorded.</summary>
    public static DirectorySnapshot From(OutcomeBaselineEvent recorded) => new(recorded.Files, recorded.FileCount);

    /// <summary>The files added, modified or deleted in <paramref name="root"/> since this snapshot, sorted by path.</summary>
    public IReadOnlyList<(string Path, string Change)> ChangesIn(string root)
    {
        var later = Take(root, CoveredThrough, int.MaxValue, int.MaxValue);
        var changes = new List<(string, string)>();
        foreach (var file in later.Files)
        {
            if (!_byPath.TryGetValue(file.Path, out var before))
            {
                changes.Add((file.Path, "added"));
            }
            else if (before != file)
            {
                changes.Add((file.Path, "modified"));
            }
        }

        changes.AddRange(Files.Where(f => !later._byPath.ContainsKey(f.Path)).Select(f => (f.Path, "deleted")));
        return [.. changes.OrderBy(c => c.Item1, StringComparer.Ordinal)];
    }

    // The files of the directory in ordinal path order (none after `through`, when given), fingerprinted until a cap.
    private static DirectorySnapshot Take(string root, string? through, int maxFiles, int maxPathChars)
    {
        if (!Directory.Exists(root))
        {
            return Empty;
        }

        var paths = new List<(string Relative, string Full)>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var path in Directory.EnumerateFiles(root, "*", options))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(".git/", StringComparison.Ordinal) && (through is null || string.CompareOrdinal(relative, through) <= 0))
            {
                paths.Add((relative, path));
            }
        }

        paths.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        var files = new List<BaselineFile>();
        var chars = 0L;
        foreach (var (relative, full) in paths)
        {
            if (files.Count == maxFiles || chars + relative.Length > maxPathChars)
            {
                break;
            }

            chars += relative.Length;
            files.Add(Fingerprint(relative, full));
        }

        return new DirectorySnapshot(files, paths.Count);
    }

    private static BaselineFile Fingerprint(string relative, string full)
    {
        try
        {
            var info = new FileInfo(full);
            if (info.Length > MaxHashedBytes)
            {
                return new BaselineFile(relative, info.Length, null) { ModifiedAt = new DateTimeOffset(info.LastWriteTimeUtc) };
            }

            using var stream = File.OpenRead(full);
            return new BaselineFile(relative, info.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new BaselineFile(relative, 0, null);
        }
    }
}
