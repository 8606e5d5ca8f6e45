using System.Security.Cryptography;

namespace Lucid.Outcomes;

/// <summary>The files of a directory and their hashes at one moment, to tell what an agent changed since.</summary>
internal sealed class DirectorySnapshot
{
    private const long MaxHashedBytes = 16 * 1024 * 1024;
    private readonly Dictionary<string, string> _files;

    private DirectorySnapshot(Dictionary<string, string> files) => _files = files;

    /// <summary>A snapshot with no files: everything found later counts as added.</summary>
    public static DirectorySnapshot Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public static DirectorySnapshot Take(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return new DirectorySnapshot(files);
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var path in Directory.EnumerateFiles(root, "*", options))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(".git/", StringComparison.Ordinal))
            {
                continue;
            }

            files[relative] = Hash(path);
        }

        return new DirectorySnapshot(files);
    }

    /// <summary>The files added, modified or deleted between this snapshot and <paramref name="later"/>, sorted by path.</summary>
    public IReadOnlyList<(string Path, string Change)> Changes(DirectorySnapshot later)
    {
        var changes = new List<(string, string)>();
        foreach (var (path, hash) in later._files)
        {
            if (!_files.TryGetValue(path, out var before))
            {
                changes.Add((path, "added"));
            }
            else if (before != hash)
            {
                changes.Add((path, "modified"));
            }
        }

        changes.AddRange(_files.Keys.Where(p => !later._files.ContainsKey(p)).Select(p => (p, "deleted")));
        return [.. changes.OrderBy(c => c.Item1, StringComparer.Ordinal)];
    }

    private static string Hash(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxHashedBytes)
            {
                return $"size:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
            }

            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (IOException)
        {
            return "unreadable";
        }
        catch (UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }
}
