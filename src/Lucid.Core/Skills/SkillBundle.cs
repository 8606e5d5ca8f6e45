using System.IO.Compression;
using System.Text;
using Lucid.Results;

namespace Lucid.Skills;

/// <summary>
/// An upload of a skill, checked: one top-level directory with a SKILL.md at its root, plain relative paths, regular
/// files only, at most <see cref="MaxTotalBytes"/> in all. It is read whole before anything is stored.
/// </summary>
public sealed class SkillBundle
{
    /// <summary>The most bytes a skill's files may hold together, uncompressed: 30 MB.</summary>
    public const long MaxTotalBytes = 30L * 1000 * 1000;

    /// <summary>The most files a skill may hold.</summary>
    public const int MaxFiles = 1000;

    private const string Field = "files";

    private SkillBundle(string directory, SkillManifest manifest, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory = directory;
        Manifest = manifest;
        Files = files;
    }

    /// <summary>The upload's top-level directory.</summary>
    public string Directory { get; }

    /// <summary>The SKILL.md, read.</summary>
    public SkillManifest Manifest { get; }

    /// <summary>The skill's name: the front matter's, or the directory's when the front matter has none.</summary>
    public string Name => Manifest.Name ?? Directory;

    /// <summary>The files by their path relative to the top-level directory.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>Reads an upload: files at relative paths, or one zip of the folder. An error names the first problem found.</summary>
    public static async Task<Result<SkillBundle>> ReadAsync(IReadOnlyList<SkillPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            return LucidError.Invalid(Field, "files is required: the skill's files as multipart parts named 'files[]' whose file names are their paths (my-skill/SKILL.md), or one zip of the folder.");
        }

        var entries = new List<(string Path, byte[] Content)>();
        long total = 0;
        foreach (var part in parts)
        {
            var read = await ReadCappedAsync(part.Content, MaxTotalBytes - total, cancellationToken);
            if (read is null)
            {
                return TooLarge();
            }

            if (parts.Count == 1 && IsZip(part, read))
            {
                return Check(await UnzipAsync(read, cancellationToken));
            }

            total += read.Length;
            entries.Add((part.Filename ?? "", read));
        }

        return Check(entries);
    }

    private static Result<SkillBundle> Check(Result<List<(string Path, byte[] Content)>> read)
    {
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var entries = read.Value;
        if (entries.Count > MaxFiles)
        {
            return LucidError.Invalid(Field, $"A skill may hold at most {MaxFiles:N0} files; the upload has {entries.Count:N0}.");
        }

        string? top = null;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, content) in entries)
        {
            if (PathProblem(path) is { } problem)
            {
                return LucidError.Invalid(Field, $"'{Shorten(path)}' {problem}");
            }

            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return LucidError.Invalid(Field, $"'{Shorten(path)}' is not inside a directory: every file must be under the skill's one top-level directory (my-skill/{path}).");
            }

            top ??= path[..slash];
            if (path[..slash] != top)
            {
                return LucidError.Invalid(Field, $"All files must be in one top-level directory; the upload has '{top}' and '{Shorten(path[..slash])}'.");
            }

            if (!files.TryAdd(path[(slash + 1)..], content))
            {
                return LucidError.Invalid(Field, $"'{Shorten(path)}' is in the upload twice.");
            }
        }

        if (top is null || !files.TryGetValue(SkillManifest.FileName, out var manifestBytes))
        {
            return LucidError.Invalid(Field, top is null
                ? "The upload holds no files; a skill needs at least its SKILL.md."
                : $"The upload has no {SkillManifest.FileName} at the root of its directory '{top}' ({top}/{SkillManifest.FileName}).");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(manifestBytes);
        }
        catch (DecoderFallbackException)
        {
            return LucidError.Invalid(Field, $"{top}/{SkillManifest.FileName} is not UTF-8 text.");
        }

        var manifest = SkillManifest.Parse(text);
        if (!manifest.IsSuccess)
        {
            return manifest.Error;
        }

        if (manifest.Value.Name is null && SkillManifest.CheckName(top) is { } nameError)
        {
            return new LucidError(nameError.Kind, $"SKILL.md has no name, so its directory names the skill: {nameError.Message}", nameError.Field);
        }

        return new SkillBundle(top, manifest.Value, files);
    }

    // Why a path is refused, or null: it must be relative and plain, without '.', '..', empty segments or control characters.
    private static string? PathProblem(string path) =>
        path.Length == 0 ? "has no path: each part's file name must be its path inside the upload (my-skill/SKILL.md)."
        : path[0] == '/' || path.Contains('\\', StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':') ? "is not a relative path with '/' separators."
        : path.Split('/').Any(s => s is "" or "." or "..") ? "has an empty, '.' or '..' segment; paths must stay inside the skill's directory."
        : path.Any(char.IsControl) ? "has a control character."
        : null;

    private static bool IsZip(SkillPart part, byte[] content) =>
        (part.Filename ?? "").EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
        || part.ContentType is "application/zip" or "application/x-zip-compressed"
        || content is [0x50, 0x4B, 0x03, 0x04, ..];

    private static async Task<Result<List<(string Path, byte[] Content)>>> UnzipAsync(byte[] zip, CancellationToken cancellationToken)
    {
        var entries = new List<(string, byte[])>();
        long total = 0;
        try
        {
            await using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                // Unix file types live in the high half of the external attributes: 0xA000 is a symbolic link.
                if (((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000)
                {
                    return LucidError.Invalid(Field, $"'{Shorten(entry.FullName)}' in the zip is a symbolic link; a skill holds regular files only.");
                }

                // Directories, and the resource forks macOS adds beside a zipped folder, hold no files of the skill.
                if (entry.FullName.EndsWith('/') || entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal))
                {
                    continue;
                }

                await using var content = await entry.OpenAsync(cancellationToken);
                var read = await ReadCappedAsync(content, MaxTotalBytes - total, cancellationToken);
                if (read is null)
                {
                    return TooLarge();
                }

                total += read.Length;
                entries.Add((entry.FullName, read));
            }
        }
        catch (InvalidDataException ex)
        {
            return LucidError.Invalid(Field, $"The zip cannot be read: {ex.Message}");
        }

        return entries;
    }

    // The stream's bytes, or null when there are more than maxBytes of them.
    private static async Task<byte[]?> ReadCappedAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static LucidError TooLarge() =>
        LucidError.TooLarge($"A skill's files may hold at most {MaxTotalBytes:N0} bytes together (uncompressed).");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
